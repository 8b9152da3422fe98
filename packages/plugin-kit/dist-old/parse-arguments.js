/**
 * JSON.parse for documents written by Python's json module, which may hold
 * the literals NaN, Infinity and -Infinity (osbuild passes manifest options
 * through as written). Those tokens, outside strings, become sentinels that
 * a reviver turns back into the numbers.
 */
const SENTINEL = '\u0000osbuild-ts:';
/** The same, as written inside a JSON string (a raw NUL is not allowed there). */
const SENTINEL_IN_JSON = '\\u0000osbuild-ts:';
export function parsePythonJson(text) {
    let out = '';
    let last = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            // Skip the string, escapes included.
            for (i++; i < text.length && text[i] !== '"'; i++)
                if (text[i] === '\\')
                    i++;
            continue;
        }
        const token = c === 'N' && text.startsWith('NaN', i) ? 'NaN'
            : c === 'I' && text.startsWith('Infinity', i) ? 'Infinity'
                : c === '-' && text.startsWith('-Infinity', i) ? '-Infinity'
                    : null;
        if (token) {
            out += `${text.slice(last, i)}"${SENTINEL_IN_JSON}${token}"`;
            i += token.length - 1;
            last = i + 1;
        }
    }
    if (last === 0)
        return JSON.parse(text);
    out += text.slice(last);
    return JSON.parse(out, (_key, value) => typeof value === 'string' && value.startsWith(SENTINEL) ? Number(value.slice(SENTINEL.length)) : value);
}
//# sourceMappingURL=parse-arguments.js.map