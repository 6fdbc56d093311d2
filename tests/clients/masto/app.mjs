// A small client app built on masto.js, run against a live Passerelle.
//
// Usage: node app.mjs BASE_URL USERNAME PASSWORD [SECOND_USERNAME SECOND_PASSWORD]
//
// It behaves as a masto.js-based app would: registers itself with
// /api/v1/apps, logs the user in through the server's own login and consent
// page (the "browser" here is plain fetch), exchanges the code for a token,
// and then uses only masto's typed API: posts a status and a reply, reads the
// home timeline (also page by page through the Link header), favourites, and
// reads the thread. With a second user it also checks that follow, mention
// and favourite notifications reach the first user.
//
// Prints "ok" and exits 0 when every check passes; otherwise prints what
// failed on stderr and exits 1. MASTO_LOG=info (or debug) shows masto's
// requests.

import { createRestAPIClient, MastoHttpError } from "masto";

const OOB = "urn:ietf:wg:oauth:2.0:oob";
const SCOPES = "read write follow";
// The overall limit is what bounds the run. masto's own per-request
// `timeout` is set too, but on Node 20 it may never fire: masto wraps it in
// AbortSignal.any(), whose timeout signal can be garbage-collected while the
// request waits.
const OVERALL_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
// Notifications may be created in the background (Mastodon does so in a
// job queue): an app sees them a moment later. Poll, but not for long.
const NOTIFICATION_WAIT_MS = 10_000;

let currentStep = "start";

function fail(message) {
  console.error(`FAIL [${currentStep}]: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

function describe(value) {
  const text = JSON.stringify(value);
  return text && text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

async function step(name, action) {
  currentStep = name;
  const result = await action();
  console.log(`${name}: ok`);
  return result;
}

// Snowflake-like ids are decimal strings: compare them as numbers of any size.
function idGreater(a, b) {
  return a.length !== b.length ? a.length > b.length : a > b;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------
// The "browser" part: a tiny reader of the login form.

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (whole, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? whole;
  });
}

function attributes(tag) {
  const found = {};
  const pattern = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  // Skip the element name itself.
  const body = tag.replace(/^<\s*[a-zA-Z0-9]+/, "").replace(/\/?>$/, "");
  for (const match of body.matchAll(pattern)) {
    const value = match[2] ?? match[3] ?? match[4] ?? "";
    found[match[1].toLowerCase()] = decodeEntities(value);
  }
  return found;
}

// What a browser would submit from the first form on the page: its action,
// its hidden fields, which field takes the user name and which the password,
// and the name/value of the button that approves.
function readLoginForm(html) {
  const form = html.match(/<form\b[^>]*>([\s\S]*?)<\/form>/i);
  if (!form) return null;
  const formAttributes = attributes(form[0].match(/<form\b[^>]*>/i)[0]);
  const result = {
    action: formAttributes.action ?? "",
    method: (formAttributes.method ?? "get").toLowerCase(),
    hidden: [],
    usernameField: null,
    passwordField: null,
    approve: null,
  };
  for (const [tag] of form[1].matchAll(/<(input|button)\b[^>]*>/gi)) {
    const attrs = attributes(tag);
    const isButton = /^<\s*button/i.test(tag);
    const type = (attrs.type ?? (isButton ? "submit" : "text")).toLowerCase();
    if (!attrs.name) continue;
    if (type === "hidden") {
      result.hidden.push([attrs.name, attrs.value ?? ""]);
    } else if (type === "password") {
      result.passwordField ??= attrs.name;
    } else if (type === "text" || type === "email") {
      // The user-name field: prefer the one the page marks as such.
      if (attrs.autocomplete === "username" || result.usernameField === null) {
        result.usernameField = attrs.name;
      }
    } else if (type === "submit") {
      const value = attrs.value ?? "";
      const denies = /deny|reject|cancel/i.test(value) || "formnovalidate" in attrs;
      if (!denies && result.approve === null) result.approve = [attrs.name, value];
    }
  }
  return result;
}

function codeFromPage(html) {
  const match = html.match(/<code\b[^>]*\bid\s*=\s*["']code["'][^>]*>([^<]+)<\/code>/i);
  return match ? decodeEntities(match[1]).trim() : null;
}

async function browserFetch(url, init = {}) {
  return fetch(url, { redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
}

// ---------------------------------------------------------------------------
// Logging in, as an app does it.

async function logIn(base, username, password, appName) {
  const anonymous = createRestAPIClient({ url: base, timeout: REQUEST_TIMEOUT_MS, log: process.env.MASTO_LOG ?? "warn" });

  const app = await step(`${username}: register app`, async () => {
    const created = await anonymous.v1.apps.create({
      clientName: appName,
      redirectUris: OOB,
      scopes: SCOPES,
      website: "https://example.com/masto-test",
    });
    check(created.clientId && created.clientSecret, `apps.create gave no client_id/client_secret: ${describe(created)}`);
    check(created.name === appName, `apps.create: name ${describe(created.name)}, expected ${describe(appName)}`);
    return created;
  });

  const code = await step(`${username}: authorize in the browser`, async () => {
    const authorizeUrl = new URL("/oauth/authorize", base);
    authorizeUrl.search = new URLSearchParams({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: OOB,
      scope: SCOPES,
    }).toString();
    const page = await browserFetch(authorizeUrl);
    const pageText = await page.text();
    check(page.status === 200, `GET ${authorizeUrl}: status ${page.status}: ${pageText.slice(0, 300)}`);
    check(/text\/html/i.test(page.headers.get("content-type") ?? ""), `GET /oauth/authorize: content-type ${page.headers.get("content-type")}`);
    check(pageText.includes(appName), "the consent page does not name the app");

    const form = readLoginForm(pageText);
    check(form, `no <form> in the authorize page: ${pageText.slice(0, 300)}`);
    check(form.method === "post", `the login form's method is ${form.method}, expected post`);
    check(form.usernameField, "the login form has no user name field");
    check(form.passwordField, "the login form has no password field");
    check(form.approve, "the login form has no approving submit button");

    const fields = new URLSearchParams(form.hidden);
    fields.append(form.usernameField, username);
    fields.append(form.passwordField, password);
    fields.append(form.approve[0], form.approve[1]);
    const target = new URL(form.action || authorizeUrl.pathname, authorizeUrl);
    const answer = await browserFetch(target, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: fields.toString(),
    });
    let answerText = await answer.text();
    let answerStatus = answer.status;

    // Mastodon itself answers the out-of-band flow with a redirect to a page
    // that shows the code (the code is also in that URL); follow it as a
    // browser would. Passerelle shows the page directly.
    let location = answer.headers.get("location");
    for (let hops = 0; location && answerStatus >= 300 && answerStatus < 400 && hops < 3; hops++) {
      const next = new URL(location, target);
      check(next.protocol === "http:" || next.protocol === "https:", `the login form redirected to ${next}, expected a page showing the code`);
      const fromUrl = next.searchParams.get("code");
      if (fromUrl) return fromUrl;
      const followed = await browserFetch(next);
      answerText = await followed.text();
      answerStatus = followed.status;
      location = followed.headers.get("location");
    }
    check(answerStatus === 200, `POST ${target}: status ${answerStatus}: ${answerText.slice(0, 300)}`);
    const shown = codeFromPage(answerText);
    check(shown, `POST ${target}: no authorization code shown: ${answerText.slice(0, 300)}`);
    return shown;
  });

  const token = await step(`${username}: exchange the code`, async () => {
    const response = await fetch(new URL("/oauth/token", base), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: OOB,
        code,
      }).toString(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    check(response.status === 200, `POST /oauth/token: status ${response.status}: ${text.slice(0, 300)}`);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      fail(`POST /oauth/token: not JSON: ${text.slice(0, 300)}`);
    }
    check(typeof body.access_token === "string" && body.access_token, `POST /oauth/token: no access_token: ${describe(body)}`);
    check(/^bearer$/i.test(body.token_type ?? ""), `POST /oauth/token: token_type ${describe(body.token_type)}, expected Bearer`);
    const granted = new Set(String(body.scope ?? "").split(/\s+/));
    for (const scope of SCOPES.split(" ")) {
      check(granted.has(scope), `POST /oauth/token: scope ${describe(body.scope)} lacks ${scope}`);
    }
    return body.access_token;
  });

  const client = createRestAPIClient({
    url: base,
    accessToken: token,
    timeout: REQUEST_TIMEOUT_MS,
    log: process.env.MASTO_LOG ?? "warn",
  });

  const me = await step(`${username}: verify credentials`, async () => {
    const account = await client.v1.accounts.verifyCredentials();
    check(account.username === username, `verifyCredentials: username ${describe(account.username)}, expected ${username}`);
    check(account.acct === username, `verifyCredentials: acct ${describe(account.acct)}, expected ${username}`);
    check(typeof account.id === "string" && account.id, `verifyCredentials: id ${describe(account.id)}`);
    const application = await client.v1.apps.verifyCredentials();
    check(application.name === appName, `apps.verifyCredentials: ${describe(application)}`);
    return account;
  });

  return { client, me };
}

// ---------------------------------------------------------------------------

async function main() {
  const [base, username, password, secondUsername, secondPassword] = process.argv.slice(2);
  if (!base || !username || !password || (secondUsername && !secondPassword)) {
    console.error("usage: node app.mjs BASE_URL USERNAME PASSWORD [SECOND_USERNAME SECOND_PASSWORD]");
    process.exit(2);
  }
  const marker = `masto.js ${Date.now().toString(36)}`;

  const first = await logIn(base, username, password, "masto.js test");
  const alice = first.client;

  // An earlier status, so that the home timeline always holds at least three
  // of this run's statuses to page through.
  const earlier = await step("post an earlier status", async () => {
    const status = await alice.v1.statuses.create({ status: `Good morning from ${marker}`, visibility: "public" });
    check(status.id, `statuses.create: no id: ${describe(status)}`);
    return status;
  });

  const root = await step("post a status", async () => {
    const status = await alice.v1.statuses.create({ status: `Hello from ${marker}`, visibility: "public" });
    check(status.id, `statuses.create: no id: ${describe(status)}`);
    check(status.account.id === first.me.id, `statuses.create: account ${describe(status.account.id)}, expected ${first.me.id}`);
    check(status.content.includes(marker), `statuses.create: content ${describe(status.content)} lacks the text posted`);
    check(status.visibility === "public", `statuses.create: visibility ${describe(status.visibility)}`);
    return status;
  });

  const reply = await step("post a reply", async () => {
    const status = await alice.v1.statuses.create({ status: `And a reply, ${marker}`, inReplyToId: root.id });
    check(status.inReplyToId === root.id, `statuses.create reply: inReplyToId ${describe(status.inReplyToId)}, expected ${root.id}`);
    check(status.inReplyToAccountId === first.me.id, `statuses.create reply: inReplyToAccountId ${describe(status.inReplyToAccountId)}, expected ${first.me.id}`);
    return status;
  });

  await step("home timeline", async () => {
    const statuses = await alice.v1.timelines.home.list({ limit: 20 });
    check(Array.isArray(statuses), `timelines.home.list: not a list: ${describe(statuses)}`);
    check(statuses.length <= 20, `timelines.home.list: ${statuses.length} statuses for limit 20`);
    const ids = statuses.map((s) => s.id);
    const rootAt = ids.indexOf(root.id);
    const replyAt = ids.indexOf(reply.id);
    check(rootAt >= 0, `home timeline lacks the status ${root.id}: ${describe(ids)}`);
    check(replyAt >= 0, `home timeline lacks the reply ${reply.id}: ${describe(ids)}`);
    const earlierAt = ids.indexOf(earlier.id);
    check(earlierAt >= 0, `home timeline lacks the status ${earlier.id}: ${describe(ids)}`);
    check(replyAt < rootAt && rootAt < earlierAt, `home timeline is not newest first: reply at ${replyAt}, status at ${rootAt}, earlier status at ${earlierAt}`);
    for (let i = 1; i < ids.length; i++) {
      check(idGreater(ids[i - 1], ids[i]), `home timeline ids not in descending order: ${describe(ids)}`);
    }
  });

  await step("home timeline, page by page (Link header)", async () => {
    const pages = [];
    // masto follows each page's Link rel="next" as it is given: that URL must
    // carry the limit on (Mastodon keeps `limit` in it). Past the oldest
    // status a page may come back empty; Mastodon then sends no Link and the
    // iteration ends.
    for await (const page of alice.v1.timelines.home.list({ limit: 1 })) {
      check(Array.isArray(page), `a page is not a list: ${describe(page)}`);
      check(page.length <= 1, `page ${pages.length + 1} of limit 1 has ${page.length} statuses: the Link rel="next" URL lost the limit`);
      if (page.length === 0) break;
      pages.push(page);
      if (pages.length === 3) break;
    }
    check(pages.length === 3, `masto's iterator stopped after ${pages.length} page(s): the response has no usable Link rel="next" (3 statuses exist)`);
    const ids = pages.map((page) => page[0].id);
    const expected = [reply.id, root.id, earlier.id];
    check(ids.every((id, i) => id === expected[i]), `pages gave ${describe(ids)}, expected ${describe(expected)}`);
    for (let i = 1; i < ids.length; i++) {
      check(idGreater(ids[i - 1], ids[i]), `pages not moving to older statuses: ${describe(ids)}`);
    }
  });

  await step("favourite", async () => {
    const status = await alice.v1.statuses.$select(root.id).favourite();
    check(status.id === root.id, `favourite returned status ${describe(status.id)}, expected ${root.id}`);
    check(status.favourited === true, `favourite: favourited is ${describe(status.favourited)}`);
    check(status.favouritesCount === 1, `favourite: favouritesCount ${describe(status.favouritesCount)}, expected 1`);
  });

  await step("thread", async () => {
    const below = await alice.v1.statuses.$select(root.id).context.fetch();
    check(Array.isArray(below.ancestors) && Array.isArray(below.descendants), `context: ${describe(below)}`);
    check(below.ancestors.length === 0, `the root status has ancestors: ${describe(below.ancestors.map((s) => s.id))}`);
    check(below.descendants.some((s) => s.id === reply.id), `the reply ${reply.id} is not among the descendants: ${describe(below.descendants.map((s) => s.id))}`);
    const above = await alice.v1.statuses.$select(reply.id).context.fetch();
    check(above.ancestors.some((s) => s.id === root.id), `the status ${root.id} is not among the reply's ancestors: ${describe(above.ancestors.map((s) => s.id))}`);
  });

  if (secondUsername) {
    const second = await logIn(base, secondUsername, secondPassword, "masto.js test (second user)");
    const bob = second.client;

    await step(`${secondUsername} follows ${username}`, async () => {
      // Start from "not following", so that a follow notification is new on
      // a re-run against the same database too.
      const [before] = await bob.v1.accounts.relationships.fetch({ id: [first.me.id] });
      check(before && before.id === first.me.id, `relationships.fetch: ${describe(before)}`);
      if (before.following || before.requested) {
        const after = await bob.v1.accounts.$select(first.me.id).unfollow();
        check(!after.following, `unfollow: still following: ${describe(after)}`);
      }
      const relationship = await bob.v1.accounts.$select(first.me.id).follow();
      check(relationship.id === first.me.id, `follow returned relationship for ${describe(relationship.id)}`);
      check(relationship.following === true, `follow: following is ${describe(relationship.following)} (requested ${describe(relationship.requested)}), expected true for an unlocked account`);
    });

    const mention = await step(`${secondUsername} replies`, async () => {
      const status = await bob.v1.statuses.create({ status: `@${username} nice one, ${marker}`, inReplyToId: root.id });
      check(status.inReplyToId === root.id, `reply: inReplyToId ${describe(status.inReplyToId)}`);
      check(status.mentions.some((m) => m.id === first.me.id), `reply: mentions ${describe(status.mentions)} lack ${username}`);
      return status;
    });

    await step(`${secondUsername} favourites`, async () => {
      const status = await bob.v1.statuses.$select(root.id).favourite();
      check(status.favourited === true, `favourite: favourited is ${describe(status.favourited)}`);
      check(status.favouritesCount === 2, `favourite: favouritesCount ${describe(status.favouritesCount)}, expected 2`);
    });

    await step("notifications", async () => {
      const deadline = Date.now() + NOTIFICATION_WAIT_MS;
      let missing;
      let notifications;
      for (;;) {
        notifications = await alice.v1.notifications.list({ limit: 30 });
        check(Array.isArray(notifications), `notifications.list: not a list: ${describe(notifications)}`);
        const from = notifications.filter((n) => n.account?.id === second.me.id);
        const found = {
          follow: from.some((n) => n.type === "follow"),
          mention: from.some((n) => n.type === "mention" && n.status?.id === mention.id),
          favourite: from.some((n) => n.type === "favourite" && n.status?.id === root.id),
        };
        missing = Object.keys(found).filter((type) => !found[type]);
        if (missing.length === 0 || Date.now() > deadline) break;
        await sleep(500);
      }
      check(missing.length === 0, `no ${missing.join(", ")} notification from ${secondUsername} after ${NOTIFICATION_WAIT_MS / 1000} s; got: ${describe(notifications.map((n) => [n.type, n.account?.acct, n.status?.id]))}`);
      for (const n of notifications) {
        check(n.id && n.createdAt && n.account, `a notification lacks id/createdAt/account: ${describe(n)}`);
      }
    });

    await step("thread with the second user's reply", async () => {
      const status = await alice.v1.statuses.$select(root.id).fetch();
      check(status.favouritesCount === 2, `status: favouritesCount ${describe(status.favouritesCount)}, expected 2`);
      check(status.repliesCount === 2, `status: repliesCount ${describe(status.repliesCount)}, expected 2`);
      const context = await alice.v1.statuses.$select(root.id).context.fetch();
      const ids = context.descendants.map((s) => s.id);
      check(ids.includes(reply.id) && ids.includes(mention.id), `descendants ${describe(ids)} lack ${reply.id} or ${mention.id}`);
    });
  }

  console.log("ok");
}

const overall = setTimeout(() => {
  console.error(`FAIL [${currentStep}]: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
overall.unref();

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof MastoHttpError) {
      fail(`HTTP ${error.statusCode}: ${error.message}${error.description ? ` (${error.description})` : ""}${error.details ? ` ${describe(error.details)}` : ""}`);
    }
    fail(error?.stack ?? String(error));
  },
);
