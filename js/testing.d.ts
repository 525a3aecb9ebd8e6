// `datafast-wasm/testing`: the local DataFast emulator for tests (Node, Deno, Bun). Needs the
// `datafast-emulator` package (a dev dependency), DATAFAST_EMULATOR_BIN or `options.bin`.

export interface StartEmulatorOptions {
  /** Seed of the demo account and its traffic (default 42): same seed, same tokens, ids and data. */
  seed?: number;
  /** Days of synthetic traffic ending now (default 30). */
  days?: number;
  /** Size the first website by events instead of days (e.g. 1_000_000). */
  events?: number;
  /** Per-token limit as "REQUESTS/SECONDS" (default "60/60"), or false for none. */
  rateLimit?: string | false;
  /** Injected failures, e.g. "500:0.1,slow=2000:0.05" (see `datafast-emulator --help`). */
  faults?: string;
  /** More command-line arguments for the emulator. */
  args?: readonly string[];
  /** The emulator binary; default DATAFAST_EMULATOR_BIN, then the `datafast-emulator` package's. */
  bin?: string;
}

export interface EmulatorWebsite {
  id: string;
  domain: string;
  name: string;
  /** The website's `df_` API key. */
  key: string;
  /** A visitor with pageviews, for visitor-level calls. */
  sampleVisitorId?: string;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: the clients' `baseUrl`. */
  baseUrl: string;
  tokens: {
    /** A `dft_` account token with every permission. */
    owner: string;
    websites: EmulatorWebsite[];
  };
  /** DATAFAST_API_BASE, DATAFAST_TOKEN, DATAFAST_SITE_KEY and DATAFAST_WEBSITE_ID for this emulator. */
  env: Record<'DATAFAST_API_BASE' | 'DATAFAST_TOKEN' | 'DATAFAST_SITE_KEY' | 'DATAFAST_WEBSITE_ID', string>;
  /** Replaces the fault plan (`'503:0.5'`, `'off'`), optionally for some endpoint ids or globs. */
  faults(spec: string, routes?: string): Promise<void>;
  /** Stops the emulator and removes its files. */
  stop(): Promise<void>;
}

/** Starts an emulator on a free loopback port; resolves once it accepts requests. */
export declare function startEmulator(options?: StartEmulatorOptions): Promise<RunningEmulator>;
