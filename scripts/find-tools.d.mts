/** Where Chromium or Chrome usually lives on Linux, best first. */
export declare const CHROMIUM_CANDIDATES: readonly string[];
/** True if `file` is a regular file the current user may execute. */
export declare function isExecutableFile(file: string): boolean;
/** The browser to drive: env CHROME_PATH if it names an executable file, else the first existing candidate. */
export declare function findChromium(): string | null;
/** The full path of an executable on PATH, like `command -v`. */
export declare function findOnPath(name: string): string | null;
