/**
 * The pipeline's source epoch (seconds), from the arguments' meta or
 * SOURCE_DATE_EPOCH (the engine sets both): when there is one, every time
 * a stage would take from the clock or from the host's copy of the
 * tree (ctime, atime) is this instead. Null without one.
 */
export function sourceEpoch(args, env = process.env) {
    const fromMeta = args.meta['source-epoch'];
    if (typeof fromMeta === 'number' && Number.isSafeInteger(fromMeta) && fromMeta >= 0)
        return fromMeta;
    const fromEnv = env['SOURCE_DATE_EPOCH'];
    if (fromEnv !== undefined && /^\d+$/.test(fromEnv))
        return Number(fromEnv);
    return null;
}
//# sourceMappingURL=source-epoch.js.map