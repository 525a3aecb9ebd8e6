/** The path of this platform's `datafast-emulator` binary (or `DATAFAST_EMULATOR_BIN`). Throws when none is installed. */
export declare function binaryPath(): string;
/** The platforms with a prebuilt binary, as `${process.platform}-${process.arch}`. */
export declare const platforms: string[];
