// A tour of the client against the local emulator (or the real API: set the variables).
//   DATAFAST_API_BASE   API origin (the emulator's address)
//   DATAFAST_SITE_KEY   a df_ website key
//   DATAFAST_TOKEN      a dft_ account token
//   DATAFAST_VISITOR_ID a visitor of that website, to attribute a goal to
import { WebsiteClient, AdminClient, DataFastError } from 'datafast-wasm';

const { DATAFAST_API_BASE: baseUrl, DATAFAST_SITE_KEY, DATAFAST_TOKEN, DATAFAST_VISITOR_ID } = process.env;

const website = new WebsiteClient({ token: DATAFAST_SITE_KEY, baseUrl });
const admin = new AdminClient({ token: DATAFAST_TOKEN, baseUrl });

const account = await admin.account.get();
console.log(`Signed in as ${account.name} <${account.email}>`);
for (const site of await admin.websites.list()) {
  console.log(`  ${site.domain.padEnd(22)} ${site.role.padEnd(7)} ${site.timezone}`);
}

const overview = await website.analytics.overview();
console.log('\nOverview (all time)');
console.log(`  visitors ${overview.visitors}  sessions ${overview.sessions}  bounce ${overview.bounce_rate}%`);
console.log(`  revenue ${overview.currency}${overview.revenue} from ${overview.payments} payments  conversion ${overview.conversion_rate}%`);

const top = await website.analytics.pages({ limit: 5 });
console.log(`\nTop pages (${top.data.length} of ${top.pagination.total})`);
for (const row of top.data) console.log(`  ${String(row.visitors).padStart(6)}  ${row.hostname}${row.path}`);

const weeks = await website.analytics.timeseries({ fields: ['visitors', 'revenue'], interval: 'week', limit: 4 });
console.log(`\nVisitors by ${weeks.interval} (${weeks.timezone}, first ${weeks.data.length} of ${weeks.pagination.total})`);
for (const bucket of weeks.data) console.log(`  ${bucket.name.padEnd(8)} ${String(bucket.visitors).padStart(6)} visitors  ${weeks.currency ?? ''}${bucket.revenue}`);

const devices = [];
for await (const row of website.analytics.devices({ limit: 1 })) devices.push(`${row.device} ${row.visitors}`);
console.log(`\nDevices, one row per page, walked with for await: ${devices.join(', ')}`);

const systems = await website.analytics.operatingSystems({ limit: 3 }, { timeoutMs: 5000 }).withResponse();
console.log(`\nOperating systems (HTTP ${systems.response.status}, ${systems.rateLimit.remaining} of ${systems.rateLimit.limit} requests left in this window):`);
for (const row of systems.data.data) console.log(`  ${String(row.visitors).padStart(6)}  ${row.operating_system}`);

const completions = async () => {
  const goals = await website.analytics.goals({ limit: 1000 });
  return goals.data.find((g) => g.goal === 'demo_signup')?.completions ?? 0;
};
const before = await completions();
const created = await website.goals.create({ datafast_visitor_id: DATAFAST_VISITOR_ID, name: 'Demo Signup' });
console.log(`\nSent goal "demo_signup" (event ${created.eventId}): completions ${before} → ${await completions()}`);

try {
  await website.analytics.pages({ filters: { country: { contains: 'Fr' } } });
} catch (err) {
  if (!(err instanceof DataFastError)) throw err;
  console.log(`\nValidated before sending: ${err.code} on ${err.field}: ${err.message}`);
}
console.log(`\nThe client prints without its token: ${website}`);
