export declare function parsePythonJson(text: string): unknown;
