// `datafast-wasm/testing`: the local DataFast emulator for tests (Node, Deno, Bun). Needs the
// `datafast-emulator` package (a dev dependency), DATAFAST_EMULATOR_BIN or `options.bin`.

export interface StartEmulatorOptions {
  /** Seed of the demo account and its traffic (default 42): same seed, same tokens, ids and data. */
  seed?: number;
  /** Days of synthetic traffic ending now (default 30). */
  days?: number;
  /** Size the first website by events instead of days (e.g. 1_000_000). */
  events?: number;
  /**
   * Freeze the emulator's clock at this instant: the traffic ends there, and the same seed,
   * days and `now` give the same data byte for byte, whatever the wall clock.
   */
  now?: Date | string;
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
  /** The emulator's clock: rate-limit windows, realtime, default ranges and new objects' timestamps follow it. */
  clock: {
    now(): Promise<Date>;
    /** Freezes the clock at `instant`. */
    set(instant: Date | string): Promise<Date>;
    /** Moves the clock on: `'90s'`, `'15m'`, `'2h'`, `'1d'`, `'500ms'` or milliseconds. */
    advance(duration: string | number): Promise<Date>;
  };
  /** Back to the seeded data at once, with fresh rate-limit windows (refused with a state file). */
  reset(): Promise<void>;
  /** What clients sent, redacted like the emulator's log, oldest first (the last 1,000). */
  requests(filter?: { endpoint?: string; method?: string; since?: number }): Promise<RecordedRequest[]>;
  /** Forgets the kept requests. */
  clearRequests(): Promise<void>;
  /** Replaces the fault plan (`'503:0.5'`, `'off'`), optionally for some endpoint ids or globs. */
  faults(spec: string, routes?: string): Promise<void>;
  /** Stops the emulator and removes its files. */
  stop(): Promise<void>;
}

/** One request the emulator received. */
export interface RecordedRequest {
  /** Increases by one per request; pass the last one seen as `since`. */
  seq: number;
  /** The emulator's clock when it arrived. */
  atMs: number;
  time: string;
  method: string;
  path: string;
  query: [string, string][];
  /** The JSON body (credential-like fields redacted), a description of another body, or null. */
  body: unknown;
  endpoint: string | null;
  /** null when a `drop` fault cut the connection. */
  status: number | null;
  tokenKind: 'none' | 'websiteKey' | 'accountToken' | 'malformed';
  /** The token masked like a `displayKey` (`dft_ab12...wxyz`). */
  token: string | null;
}

/** Starts an emulator on a free loopback port; resolves once it accepts requests. */
export declare function startEmulator(options?: StartEmulatorOptions): Promise<RunningEmulator>;
