// Must NOT compile: each line with an "error:" end comment is a mistake the types must catch.
// tests/types/run.sh checks that tsc reports exactly these lines.
import { AdminClient, WebsiteClient } from "datafast-wasm";

export async function mistakes(website: WebsiteClient, admin: AdminClient): Promise<void> {
  await website.analytics.pages({ limit: "10" }); // error: a number field given a string
  await website.analytics.overview({ fields: ["visitors", "pageviews"] }); // error: not an overview field
  await website.analytics.timeseries({ fields: "visitors" }); // error: interval is required
  await website.goals.create({ name: "signup", metadata: { plan: 3 } }); // error: metadata values are strings
  await admin.tokens.create({ permissions: ["analytics:write"] }); // error: not a permission
  await admin.funnels.create("site", { name: "F", steps: [{ name: "A", type: "goal", url: "/" }] }); // error: goal steps need goalName
  await admin.integrations.stripe.connect("site", { stripeRak: "sk_live_x" }); // error: Stripe keys must be rk_
  await admin.funnels.update("site", { name: "F" }); // error: the funnel id is missing
  const rows: number = (await website.analytics.devices()).data[0]?.device; // error: device is a string
  await website.analytics.operating_systems(); // error: JS names are camelCase
  await website.analytics.overview({}, { timeoutMs: "5s" }); // error: timeoutMs is a number
  void rows;
  const page = await website.analytics.pages();
  void page.pagnation; // error: a misspelt page key
  void page.dat; // error: a misspelt page key
  new WebsiteClient({ token: "df_x", fetch: (url: number) => fetch(String(url)) }); // error: fetch gets a string URL
  new WebsiteClient({ token: "df_x", rateLimit: "on" }); // error: rateLimit is a boolean or a limiter
  new WebsiteClient({ token: "df_x", rateLimit: { acquire: async () => 0 } }); // error: a limiter also needs report
  new WebsiteClient({ token: "df_x", maxConcurrency: "4" }); // error: maxConcurrency is a number
}
