/** Options of both clients. */
export interface ClientOptions {
  /**
   * A `df_` website API key or a `dft_` account access token. Never echoed in errors, logs or
   * `toJSON`. In Node and Deno, when absent: `DATAFAST_SITE_KEY` then `DATAFAST_TOKEN`
   * (`WebsiteClient`), `DATAFAST_TOKEN` then `DATAFAST_SITE_KEY` (`AdminClient`).
   */
  token?: string;
  /** The website a `dft_` token acts on for Website API routes (required then on `WebsiteClient`). */
  websiteId?: string;
  /** API origin; defaults to `DATAFAST_API_BASE` (Node, Deno), else `https://datafa.st`. */
  baseUrl?: string;
  /** Each call's time budget in ms, retries and waits included. Default 30000. */
  timeoutMs?: number;
  /** Retries of transient failures (network, timeout, 408, 429, 5xx). Default 2, at most 10. */
  maxRetries?: number;
  /** A `fetch` to use instead of `globalThis.fetch` (for tests, proxies, instrumentation). */
  fetch?: (url: string, init: FetchInit) => Promise<ResponseLike>;
  /** Called before every attempt (never sees the token). */
  onRequest?: (event: RequestEvent) => void;
  /** Called after every attempt, with its status (0 when no response came). */
  onResponse?: (event: ResponseEvent) => void;
  /** Allow construction in a browser page, where the token is visible to every visitor. */
  dangerouslyAllowBrowser?: boolean;
}
export type WebsiteClientOptions = ClientOptions;
export type AdminClientOptions = ClientOptions;

/** What the logging hooks see of an attempt. */
export interface RequestEvent {
  /** Registry id (`"analytics.pages"`). */
  endpoint: string;
  method: string;
  /** The full URL; the token is never part of it. */
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
}
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, or 0 when the attempt got no response. */
  status: number;
  durationMs: number;
}

/** The part of an `AbortSignal` the client uses (a DOM or Node `AbortSignal` fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Per-call options: the last argument of every method. */
export interface RequestOptions {
  /** Aborting rejects the call at once with `code: "aborted"` (during the request, a backoff or a rate-limit wait). */
  signal?: AbortSignalLike | null;
  /** This call's time budget in ms, retries and waits included (overrides the client's). */
  timeoutMs?: number;
  /** This call's retries (overrides the client's). */
  maxRetries?: number;
  /** Extra request headers; `Authorization` cannot be set. */
  headers?: Record<string, string>;
}

/**
 * The runtime's `AbortSignal` type where the project declares one (the DOM lib,
 * @types/node, Deno, workers-types), so the global `fetch` and wrappers of it type-check as
 * `ClientOptions.fetch`; else the part of it the client uses.
 */
export type RuntimeAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : AbortSignalLike;

/** What the client passes to `fetch`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: RuntimeAbortSignal;
}
/** The part of a `Response` the client reads. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null; forEach?(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

/** `X-RateLimit-*` as the server reported it. `reset` is in Unix seconds. */
export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
}

/** A call's result with the response it came from. */
export interface WithResponse<T> {
  data: T;
  response: { status: number; headers: Record<string, string> };
  rateLimit: RateLimitInfo;
}
/** What every method returns: a promise of the result, which can also give the response. */
export interface DataFastPromise<T> extends Promise<T> {
  /** The result with the response's status and headers and the rate-limit state. */
  withResponse(): Promise<WithResponse<T>>;
}
/** What paginated methods return: also iterable over every row of every page. */
export interface PagePromise<P extends Page<unknown>> extends DataFastPromise<P> {
  [Symbol.asyncIterator](): AsyncIterator<RowOf<P>>;
  /** Rows from this page on, fetching pages as needed, up to `limit`. */
  toArray(options?: { limit?: number }): Promise<RowOf<P>[]>;
}
export type RowOf<P> = P extends Page<infer Row> ? Row : never;

/** Every failure: thrown before sending (status 0), transport failures (status 0) and API errors. */
export declare class DataFastError extends Error {
  readonly name: "DataFastError";
  /** HTTP status, or 0 when no response was received. */
  readonly status: number;
  readonly code: DataFastErrorCode;
  /** Registry id of the endpoint called (`"analytics.overview"`). */
  readonly endpoint: string | null;
  /** Whether this client retries this failure of this request (it may have run out of attempts or time). */
  readonly retryable: boolean;
  /** The input field at fault (`"filters.country"`), for `invalid_params` and `invalid_options`. */
  readonly field: string | null;
  readonly rateLimit: RateLimitInfo | null;
  /** The failing response's headers (lower-case names), when there was a response. */
  readonly headers: Record<string, string> | null;
  /** The runtime's error for network failures; the signal's reason for `aborted`. */
  readonly cause?: unknown;
  toJSON(): {
    name: "DataFastError"; message: string; status: number; code: DataFastErrorCode; endpoint: string | null;
    retryable: boolean; field: string | null; rateLimit: RateLimitInfo | null; headers: Record<string, string> | null;
  };
}

export interface Pagination {
  limit: number;
  offset: number;
  /** Rows available (breakdowns, timeseries). */
  total?: number;
  /** Whether more rows follow (visitors list). */
  hasMore?: boolean;
}
/**
 * A page of a paginated endpoint: `data`, `pagination` and the endpoint's documented sibling
 * keys (declared by its own type: `TimeseriesPage.totals`, `AlertHistory.counts`), plus helpers that fetch the following pages with the same query.
 *
 * ```ts
 * for await (const row of website.analytics.pages({ limit: 1000 })) console.log(row.path);
 * for await (const page of (await website.visitors.list()).pages()) console.log(page.data.length);
 * const top = await website.analytics.pages().toArray({ limit: 250 });
 * ```
 */
export interface Page<Row> {
  data: Row[];
  /** Absent on alert history, which is a single page. */
  pagination?: Pagination;
  /** Whether a following page exists. */
  hasNextPage(): boolean;
  /** The following page, or `null` after the last one. */
  nextPage(options?: RequestOptions): Promise<this | null>;
  /** This page and every following one, fetched one at a time. */
  pages(): AsyncIterableIterator<this>;
  /** Every row from this page on, fetching pages as needed. */
  [Symbol.asyncIterator](): AsyncIterator<Row>;
  /** Rows from this page on, fetching pages as needed, up to `limit`. */
  toArray(options?: { limit?: number }): Promise<Row[]>;
}

export type FilterValue = string | number | boolean | ReadonlyArray<string | number | boolean>;
/** A bare value means `is`; several values are OR-ed. */
export type FilterCondition =
  | FilterValue
  | { is: FilterValue }
  | { is_not: FilterValue }
  | { contains: FilterValue }
  | { does_not_contain: FilterValue };
/** `{ country: "US", page: { contains: "/docs" } }` → `filter_country=US&filter_page=contains:/docs`. */
export type Filters = { [D in FilterDimension]?: FilterCondition };

/** One value or several. */
export type OneOrMany<T> = T | readonly T[];

/** A funnel step as sent: a page visit or a goal completion. */
export type FunnelStepInput =
  | { name: string; type: "pageview"; /** Path such as `/pricing`. */ url: string; id?: string }
  | { name: string; type: "goal"; /** ≤ 32 characters, goal-name rules. */ goalName: string; id?: string };

// ---- results: Website API ----
// Rows carry every metric unless `fields` narrows them; the API may add keys later, and they
// reach you untouched.

export interface Overview {
  visitors: number;
  sessions: number;
  /** Percent (65.32 = 65.32 %). */
  bounce_rate: number;
  /** Milliseconds. */
  avg_session_duration: number;
  /** Currency symbol (`$`). */
  currency: string;
  revenue: number;
  /** Number of payments. */
  payments: number;
  revenue_per_visitor: number;
  /** Percent. */
  conversion_rate: number;
}
export interface RevenueBreakdown {
  new: number;
  renewal: number;
  refund: number;
}
export interface TimeseriesRow {
  /** Bucket label (`"17 Dec"`). */
  name?: string;
  /** Bucket start, ISO with offset. */
  timestamp: string;
  visitors?: number;
  sessions?: number;
  revenue?: number;
  payments?: number;
  conversion_rate?: number;
  /** Present when `revenue` was requested. */
  revenueBreakdown?: RevenueBreakdown;
}
export interface TimeseriesPage extends Page<TimeseriesRow> {
  fields: string[];
  interval: "hour" | "day" | "week" | "month";
  timezone: string;
  /** Currency symbol, or null. */
  currency: string | null;
  totals: Omit<TimeseriesRow, "name" | "timestamp">;
}
export interface Realtime {
  /** Visitors active in the last 10 minutes. */
  visitors: number;
}
export interface RealtimeVisitor {
  visitorId: string;
  location: { city: string | null; region: string | null; countryCode: string | null };
  /** Older servers send plain strings instead of `{ name }` / `{ type }`. */
  system: {
    browser: { name: string } | string | null;
    os: { name: string } | string | null;
    device: { type: string } | string | null;
  };
  currentUrl: string | null;
  referrer: string | null;
  isCustomer: boolean;
  conversionLikelihood: Record<string, unknown> | null;
  [key: string]: unknown;
}
export interface RealtimeMap {
  count: number;
  visitors: RealtimeVisitor[];
  hasConversionPredictions: boolean;
  conversionMetrics?: { baselineConversionRate: number; baselineAverageValue: number };
  recentEvents: Array<Record<string, unknown>>;
  recentPayments: Array<Record<string, unknown>>;
}
export interface WebsiteMetadata {
  domain: string;
  timezone: string;
  name: string | null;
  logo: string | null;
  kpiColorScheme: string;
  kpi: string | null;
  /** ISO code. */
  currency: string;
}
interface Metrics {
  visitors: number;
  revenue: number;
  payments: number;
}
export interface PageRow extends Metrics { hostname: string; path: string }
export interface ReferrerRow extends Metrics { /** `Google`, `Direct/None` or a domain. */ referrer: string }
export interface CountryRow extends Metrics { country: string; /** Flag SVG URL. */ image: string }
export interface RegionRow extends Metrics { region: string }
export interface CityRow extends Metrics { city: string }
export interface DeviceRow extends Metrics { device: string }
export interface BrowserRow extends Metrics { browser: string }
export interface OperatingSystemRow extends Metrics { operating_system: string }
export interface HostnameRow extends Metrics { hostname: string }
export interface CampaignRow extends Metrics {
  /** Empty strings where a parameter was absent. */
  campaign: {
    utm_source: string; utm_medium: string; utm_campaign: string; utm_term: string;
    utm_content: string; ref: string; source: string; via: string;
  };
}
export interface GoalRow {
  goal: string;
  completions: number;
  visitors: number;
}
export interface FunnelReportStep {
  id: string;
  name: string;
  type: "pageview" | "goal";
  url?: string;
  goalName?: string;
  visitors: number;
  /** Percent of the first step. */
  conversionRate: number;
  dropOff: number;
  revenue: number;
}
/** Funnel analytics. The docs describe it only in words: parse leniently. */
export interface FunnelReport {
  funnelId: string;
  name: string;
  steps: FunnelReportStep[];
  conversionRate: number;
  totalVisitors: number;
  [key: string]: unknown;
}
export interface VisitorRow {
  visitorId: string;
  lastSeenAt: string;
  /** Host and path (`datafa.st/pricing`). */
  currentUrl: string;
  identity: { country: string; region: string; city: string; browser: string; os: string; device: string };
  acquisition: Record<string, string | null>;
  isCustomer?: boolean;
}
export interface VisitorDetail {
  visitorId: string;
  identity: {
    country: string | null;
    countryCode: string | null;
    region: string | null;
    city: string | null;
    params: Record<string, string | null>;
    adClickIds: Record<string, string>;
    browser: { name: string | null; version: string | null };
    os: { name: string | null; version: string | null };
    device: { type: string | null; vendor: string | null; model: string | null };
    viewport: { width: number | null; height: number | null };
  };
  activity: {
    visitCount: number;
    pageViewCount: number;
    timeSinceFirstVisit: number;
    timeSinceCurrentVisit: number;
    firstVisitAt: string | null;
    lastVisitAt: string | null;
    currentUrl: string | null;
    visitedPages: Array<{ url: string; timestamp: string }>;
    completedGoals: Array<{
      name: string;
      description: string | null;
      isServer: boolean;
      origin: "manual" | "payment_provider";
      timestamp: string;
    }>;
    /** The older docs' name of `completedGoals` (same list), where a server still sends it. */
    completedCustomGoals?: VisitorDetail["activity"]["completedGoals"];
  };
  /** Present once the visitor was identified. */
  profile?: { userId: string; metadata: Record<string, unknown>; identifiedAt: string };
  prediction: { score: number; conversionRate: number; expectedValue: number; confidence: number } | null;
}
export interface GoalCreated {
  message: string;
  eventId: string;
}
export interface TimeRange {
  start: string;
  end: string;
}
export interface Deleted {
  message: string;
  goal_name?: string;
  transaction_id?: string;
  datafast_visitor_id?: string;
  timeRange?: TimeRange;
}
/** `POST /payments` answers without the envelope; a repeated `transaction_id` says so in `message`. */
export interface PaymentRecorded {
  message: string;
  transaction_id: string;
}
export interface Identified {
  message: string;
  profileId: string;
  action?: "created" | "updated" | "unchanged";
}

// ---- results: Account API ----

export interface Message {
  message: string;
}
export interface Account {
  _id: string;
  name: string | null;
  email: string;
  image: string | null;
  hasAccess: boolean;
  planType: string | null;
  isFreeTrialActive: boolean;
  freeTrialStartAt: string | null;
  billingCycleStartAt: string | null;
  billingCycleEndAt: string | null;
  /** Present when the client uses a `df_` key. */
  websiteId?: string;
}
export interface AccountUpdated {
  _id: string;
  name: string;
  email: string;
  image: string | null;
}
export interface AccessToken {
  _id: string;
  name: string | null;
  /** Masked (`dft_ab1...xyz9`). */
  displayKey: string;
  scope: "user";
  /** `["*"]` = every permission. */
  permissions: Permission[];
  /** `[]` = every website the user can reach. */
  websiteIds: string[];
  lastUsedAt?: string | null;
  createdAt?: string;
}
export interface AccessTokenCreated extends AccessToken {
  /** The full `dft_` token, returned only this once. */
  key: string;
}
export interface Website {
  _id: string;
  domain: string;
  name: string | null;
  trackingId: string;
  timezone: string;
  currency: string;
  role: "owner" | "member" | "viewer";
}
export interface WebsiteCreated {
  websiteId: string;
  domain: string;
  trackingId: string;
}
export interface WebsiteSettings {
  _id: string;
  domain: string;
  name: string | null;
  trackingId: string;
  timezone: string;
  currency: string;
  kpi: string | null;
  kpiColorScheme: string | null;
  revenueMetric: "revenue" | "mrr" | null;
  isCookieless: boolean;
  includeRenewalRevenue: boolean;
  allowedHostnames: string[];
  excludedIps: string[];
  excludedPaths: string[];
  excludedCountries: string[];
  excludedHostnames: string[];
  [setting: string]: unknown;
}
export interface ApiKey {
  _id: string;
  name: string | null;
  /** Masked (`df_ab12...xyz9`). */
  displayKey: string;
  websiteId: string;
  lastUsedAt: string | null;
  createdAt: string;
}
export interface ApiKeyCreated extends ApiKey {
  /** The full `df_` key, returned only this once. */
  key: string;
}
export interface TrackedGoal {
  name: string;
  total: number;
  /** Unique visitors. */
  uv: number;
  /** Percent. */
  conversionRate: number;
  eventType: string;
}
export interface GoalCustomization {
  goalName: string;
  displayName: string | null;
  color: string | null;
  description: string | null;
  updatedAt: string | null;
}
export interface PaletteColor {
  color: string;
  label: string;
  family: string;
}
export interface GoalCustomizations {
  data: GoalCustomization[];
  /** The colors `color` may take. */
  colors: PaletteColor[];
}
export interface FunnelStep {
  id: string;
  name: string;
  type: "pageview" | "goal";
  url?: string;
  goalName?: string;
}
export interface Funnel {
  _id: string;
  websiteId: string;
  name: string;
  slug: string;
  steps: FunnelStep[];
  isActive: boolean;
  createdAt: string;
}
export interface Alert {
  _id: string;
  websiteId: string;
  name: string;
  trigger: { type: "goal"; goalName: string };
  destination: { type: "email" };
  template: { subject: string | null; message: string };
  isEnabled: boolean;
  recentLogs: AlertHistoryEntry[];
}
export interface AlertHistoryEntry {
  alertId: string;
  alertName: string;
  goalName: string;
  status: "sent" | "failed";
  error: string | null;
  visitorId: string | null;
  triggeredAt: string;
}
/** Alert history: newest first; `counts` are computed before `limit` applies. */
export interface AlertHistory extends Page<AlertHistoryEntry> {
  counts: { sent: number; failed: number; total: number };
}
export interface TeamMember {
  userId: string;
  name: string | null;
  email: string;
  image: string | null;
  role: "owner" | "member" | "viewer";
  joinedAt: string;
}
export interface Invitation {
  message: string;
  invitationId: string;
  email: string;
  role: "viewer" | "member";
}
export interface Integrations {
  stripe: { connected: boolean };
  lemonsqueezy: { connected: boolean };
  polar: { connected: boolean };
  paddle: { connected: boolean; keyExpiresAt: string | null };
  shopify: { connected: boolean };
  woocommerce: { connected: boolean };
  currency: string;
}
export interface IntegrationConnected {
  message: string;
  currency?: string;
}
