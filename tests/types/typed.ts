// Compiles under `tsc --noEmit --strict` against the packed package: one call of each
// resource group, using the parameter and result types a user would rely on.
import { AdminClient, DataFastError, WebsiteClient, previewRequest } from "datafast-wasm";
import { catalog, type CatalogEndpoint } from "datafast-wasm/catalog";
import type { FunnelStepInput, Overview, Page, PageRow, RateLimitInfo, SharedRateLimiter, TimeseriesPage } from "datafast-wasm";

declare const env: { DATAFAST_SITE_KEY: string; DATAFAST_TOKEN: string };

export async function example(): Promise<number> {
  const website = new WebsiteClient({ token: env.DATAFAST_SITE_KEY, timeoutMs: 5000 });
  // the catalogue and a preview of a call
  const pagesEntry: CatalogEndpoint | undefined = catalog.endpoints.find((e) => e.id === "analytics.pages");
  const planned = previewRequest(pagesEntry?.id ?? "", [{ limit: 10 }], { token: env.DATAFAST_SITE_KEY });
  const plannedUrl: string = planned.url + (planned.body ?? "") + (pagesEntry?.params["x-kind"] ?? "");
  const admin = new AdminClient({ token: env.DATAFAST_TOKEN, maxRetries: 3 });
  // pacing: off, or shared beyond the process through a limiter
  const unpaced = new WebsiteClient({ token: env.DATAFAST_SITE_KEY, rateLimit: false, maxConcurrency: 16 });
  const limiter: SharedRateLimiter = {
    acquire: async (key: string) => (key.length > 0 ? 0 : { waitMs: 1000, reset: null, limit: 60 }),
    report: (_key: string, rl: RateLimitInfo) => void rl.remaining,
  };
  const shared = new WebsiteClient({ token: env.DATAFAST_SITE_KEY, rateLimit: limiter });
  void [unpaced, shared];

  // analytics
  const overview: Overview = await website.analytics.overview({ startAt: "2026-05-01", endAt: new Date() });
  const pages: Page<PageRow> = await website.analytics.pages({
    limit: 10,
    fields: ["path", "visitors"],
    filters: { country: ["US", "FR"], page: { contains: "/docs" } },
  });
  const paths: string[] = pages.data.map((row) => row.path);
  for await (const row of pages) paths.push(row.hostname);
  const next = await pages.nextPage();
  if (next) paths.push(...next.data.map((r) => r.path));
  const series: TimeseriesPage = await website.analytics.timeseries({ fields: "visitors", interval: "week" });
  const firstBucket: string | undefined = series.data[0]?.timestamp;
  const countries = await website.analytics.countries();
  const flag: string | undefined = countries.data[0]?.image;
  // visitors
  const visitors = await website.visitors.list({ isCustomer: true, country: ["US"], limit: 250 });
  const visitor = await website.visitors.get(visitors.data[0]?.visitorId ?? "");
  const goals: number = visitor.activity.completedGoals.length;
  // goals, payments, identify
  const created = await website.goals.create({ datafast_visitor_id: "x", name: "signup", metadata: { plan: "pro" } });
  const eventId: string = created.eventId;
  const paid = await website.payments.create({ amount: 29.99, currency: "USD", transaction_id: "tx_1", renewal: false });
  await website.payments.delete({ transaction_id: paid.transaction_id });
  await website.identify({ user_id: "u1", visitorId: "x", plan: "pro" });

  // account, tokens, websites, keys
  const account = await admin.account.get();
  const token = await admin.tokens.create({ permissions: ["analytics:read", "websites:read"] });
  const secret: string = token.key;
  const sites = await admin.websites.list();
  const siteId: string = sites[0]?._id ?? account._id;
  const key = await admin.apikeys.create(siteId, { name: "ci" });
  await admin.apikeys.roll(siteId, key._id);
  // goals settings, funnels, alerts
  await admin.goals.customizations.update(siteId, { goalName: "signup", color: "#22c55e", displayName: null });
  const steps: FunnelStepInput[] = [
    { name: "Landing", type: "pageview", url: "/" },
    { name: "Signup", type: "goal", goalName: "signup" },
  ];
  const funnel = await admin.funnels.create(siteId, { name: "Signup", steps });
  const report = await website.analytics.funnel(funnel._id);
  const alert = await admin.alerts.create(siteId, {
    name: "New signup",
    trigger: { goalName: "signup" },
    template: { message: "Somebody signed up." },
  });
  const history = await admin.alerts.history(siteId, { alertId: alert._id, limit: 10 });
  const sent: number = history.counts.sent;
  // team, integrations
  const invite = await admin.team.invite(siteId, { email: "a@example.com", role: "member" });
  await admin.integrations.paddle.connect(siteId, { paddleApiKey: "pdl_live_abcdefgh" });
  const status = await admin.integrations.get(siteId);
  const connected: boolean = status.stripe.connected;

  // per-call options, withResponse, iteration on the promise, camelCase names
  const controller = new AbortController();
  const systems = await website.analytics.operatingSystems({ limit: 5 }, { signal: controller.signal, timeoutMs: 2000 });
  const os: string | undefined = systems.data[0]?.operating_system;
  const live = await website.analytics.realtimeMap({ maxRetries: 0, headers: { "X-Request-Id": "r1" } });
  const { data: meta, response, rateLimit } = await website.analytics.metadata().withResponse();
  const remaining: number | null = rateLimit.remaining;
  for await (const row of website.analytics.referrers({ limit: 50 })) paths.push(row.referrer);
  const firstRows: PageRow[] = await website.analytics.pages().toArray({ limit: 3 });
  const logged = new WebsiteClient({ token: env.DATAFAST_SITE_KEY, onResponse: (e) => void e.durationMs });

  try {
    await admin.websites.delete(siteId);
  } catch (e) {
    if (e instanceof DataFastError && e.code === "forbidden") return e.status;
  }
  return overview.visitors + paths.length + goals + sent + report.steps.length + Number(connected) +
    (firstBucket ?? "").length + (flag ?? "").length + eventId.length + secret.length + invite.email.length +
    plannedUrl.length + (os ?? "").length + live.count + meta.domain.length + response.status + (remaining ?? 0) +
    firstRows.length + String(logged).length;
}

// The global `fetch`, a logging wrapper of it, cancellation and `using`.
export async function options(): Promise<number> {
  const logged: typeof fetch = (input, init) => {
    console.log(String(input));
    return fetch(input, init);
  };
  const plain = new WebsiteClient({ token: "df_x", fetch });
  const wrapped = new WebsiteClient({ token: "df_x", fetch: (url, init) => fetch(url, init) });
  const viaTyped = new WebsiteClient({ token: "df_x", fetch: logged });
  const controller = new AbortController();
  const overview = await plain.analytics.overview(null, { signal: controller.signal, timeoutMs: 1000 });
  plain.free();
  wrapped.free();
  {
    using scoped = new AdminClient({ token: "dft_x" });
    await scoped.account.get();
  }
  const page = await viaTyped.analytics.pages();
  const limit: number | undefined = page.pagination?.limit;
  return overview.visitors + (limit ?? 0);
}
