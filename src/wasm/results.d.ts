// Generated from datafast_contract::responses by src/typescript.rs. Do not edit.
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

export interface TimeseriesTotals {
  visitors?: number;
  sessions?: number;
  revenue?: number;
  payments?: number;
  conversion_rate?: number;
  /** Present when `revenue` was requested. */
  revenueBreakdown?: RevenueBreakdown;
}

export interface TimeseriesRow extends TimeseriesTotals {
  /** Bucket label (`"17 Dec"`). */
  name?: string;
  /** Bucket start, ISO with offset. */
  timestamp: string;
}

export interface TimeseriesPage extends Page<TimeseriesRow> {
  fields: string[];
  interval: "hour" | "day" | "week" | "month";
  timezone: string;
  /** Currency symbol, or null. */
  currency: string | null;
  totals: TimeseriesTotals;
}

export interface Realtime {
  /** Visitors active in the last 10 minutes. */
  visitors: number;
}

export interface RealtimeVisitor {
  visitorId: string;
  location: { city: string | null; region: string | null; countryCode: string | null };
  /** Older servers send plain strings instead of `{ name }` / `{ type }`. */
  system: { browser: { name: string } | string | null; os: { name: string } | string | null; device: { type: string } | string | null };
  currentUrl: string | null;
  referrer: string | null;
  isCustomer: boolean;
  conversionLikelihood: { score: number; confidence: number; isBaseline: boolean; dimensionMatches: string[]; raw: { conversionRate: number; averageValue: number; expectedValue: number } } | null;
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

export interface Metrics {
  visitors: number;
  revenue: number;
  payments: number;
}

export interface PageRow extends Metrics {
  hostname: string;
  path: string;
}

export interface ReferrerRow extends Metrics {
  /** `Google`, `Direct/None` or a domain. */
  referrer: string;
}

export interface CountryRow extends Metrics {
  country: string;
  /** Flag SVG URL. */
  image: string;
}

export interface RegionRow extends Metrics {
  region: string;
}

export interface CityRow extends Metrics {
  city: string;
}

export interface DeviceRow extends Metrics {
  device: string;
}

export interface BrowserRow extends Metrics {
  browser: string;
}

export interface OperatingSystemRow extends Metrics {
  operating_system: string;
}

export interface HostnameRow extends Metrics {
  hostname: string;
}

export interface Campaign {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  ref: string;
  source: string;
  via: string;
}

export interface CampaignRow extends Metrics {
  /** Empty strings where a parameter was absent. */
  campaign: Campaign;
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

export interface CompletedGoal {
  name: string;
  description: string | null;
  isServer: boolean;
  origin: "manual" | "payment_provider";
  timestamp: string;
}

export interface VisitorDetail {
  visitorId: string;
  identity: { country: string | null; countryCode: string | null; region: string | null; city: string | null; params: Record<string, string | null>; adClickIds: Record<string, string>; browser: { name: string | null; version: string | null }; os: { name: string | null; version: string | null }; device: { type: string | null; vendor: string | null; model: string | null }; viewport: { width: number | null; height: number | null } };
  activity: { visitCount: number; pageViewCount: number; timeSinceFirstVisit: number; timeSinceCurrentVisit: number; firstVisitAt: string | null; lastVisitAt: string | null; currentUrl: string | null; visitedPages: Array<{ url: string; timestamp: string }>; completedGoals: CompletedGoal[]; completedCustomGoals?: CompletedGoal[] };
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
  profileId: string | null;
  action?: "created" | "updated" | "unchanged";
}

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
  /** Shown by one example of the docs. */
  createdAt?: string;
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
  [key: string]: unknown;
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

export interface AlertHistoryEntry {
  alertId: string;
  alertName: string;
  goalName: string;
  status: "sent" | "failed";
  error: string | null;
  visitorId: string | null;
  triggeredAt: string;
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

export interface Pagination {
  limit: number;
  offset: number;
  /** Rows available (breakdowns, timeseries). */
  total?: number;
  /** Whether more rows follow (visitors list). */
  hasMore?: boolean;
}
