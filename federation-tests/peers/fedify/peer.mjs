// An independently written ActivityPub server for the federation tests: one
// person, "bob", on Fedify (the framework behind Ghost, Hollo and Hackers' Pub).
// Fedify does its own wire format, JSON-LD handling, signatures (RFC 9421 first,
// draft-cavage after a refusal) and verification; this file only says what bob does.
//
// Usage: node peer.mjs PORT. Prints "ready" once listening. The test drives it
// through /_test/ (plain JSON, loopback only):
//   GET  /_test/received   every inbox POST: {status, body, signature: "rfc9421"|"cavage"|null}
//   GET  /_test/followers  bob's followers (actor ids)
//   POST /_test/send       {activity, to: "followers" | [actor ids]}: bob sends it, after
//                          Fedify has read it into its own types; an embedded object
//                          with an id is kept and served at that id
//   POST /_test/lookup     {id}: the object as Fedify reads it (signed fetch as bob)
import { serve } from "@hono/node-server";
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Endpoints,
  Follow,
  Note,
  Person,
  Question,
  Undo,
} from "@fedify/vocab";

const port = Number(process.argv[2]);
const base = `http://localhost:${port}`;
const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const followers = new Map(); // actor id -> inbox
const received = [];
const objects = new Map(); // id -> JSON-LD served as bob's

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true, // every server in the tests is on loopback
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "bob") return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Bob Fedify",
      summary: "A Fedify peer",
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pairs[0].cryptographicKey,
      assertionMethods: pairs.map((p) => p.multikey),
    });
  })
  .setKeyPairsDispatcher(async () => [keys]);

federation.setOutboxDispatcher("/users/{identifier}/outbox", async () => ({
  items: [],
}));

federation.setFollowersDispatcher(
  "/users/{identifier}/followers",
  async () => ({
    items: [...followers.entries()].map(([id, inbox]) => ({
      id: new URL(id),
      inboxId: new URL(inbox),
    })),
  }),
);

for (const [cls, path] of [
  [Note, "/notes/{id}"],
  [Question, "/questions/{id}"],
]) {
  federation.setObjectDispatcher(cls, path, async (ctx, values) => {
    const json = objects.get(`${base}${path.replace("{id}", values.id)}`);
    return json ? await cls.fromJsonLd(json, ctx) : null;
  });
}

// What software it is, for servers that send each peer the form it takes.
federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => ({
  software: { name: "passerelle-fedify-peer", version: "1.0.0" },
  protocols: ["activitypub"],
  usage: { users: { total: 1 }, localPosts: 0, localComments: 0 },
}));

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    const follower = await follow.getActor();
    if (follower?.id == null || follower.inboxId == null) return;
    followers.set(follower.id.href, follower.inboxId.href);
    const accept = new Accept({
      id: new URL(`${base}/accepts/${crypto.randomUUID()}`),
      actor: ctx.getActorUri("bob"),
      object: follow,
    });
    await ctx.sendActivity({ identifier: "bob" }, follower, accept);
  })
  .on(Undo, async (_ctx, undo) => {
    const inner = await undo.getObject();
    if (inner instanceof Follow && undo.actorId) {
      followers.delete(undo.actorId.href);
    }
  })
  .on(Activity, async () => {});

function json(value, status = 200) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

async function control(request) {
  const url = new URL(request.url);
  const ctx = federation.createContext(request, undefined);
  if (url.pathname === "/_test/received") return json(received);
  if (url.pathname === "/_test/followers") return json([...followers.keys()]);
  const body = await request.json();
  if (url.pathname === "/_test/lookup") {
    const doc = ctx.getDocumentLoader({ identifier: "bob" });
    const object = await ctx.lookupObject(body.id, { documentLoader: await doc });
    return json(object ? await object.toJsonLd({ format: "compact" }) : null);
  }
  if (url.pathname === "/_test/send") {
    const inner = body.activity.object;
    if (inner && typeof inner === "object" && inner.id) {
      objects.set(inner.id, { "@context": body.activity["@context"], ...inner });
    }
    const activity = await Activity.fromJsonLd(body.activity, ctx);
    const to =
      body.to === "followers"
        ? "followers"
        : await Promise.all(
            body.to.map(async (id) => {
              const actor = await ctx.lookupObject(id, {
                documentLoader: await ctx.getDocumentLoader({ identifier: "bob" }),
              });
              if (actor?.inboxId == null) throw new Error(`no inbox for ${id}`);
              return actor;
            }),
          );
    await ctx.sendActivity({ identifier: "bob" }, to, activity, {
      preferSharedInbox: true,
    });
    return json({ sent: true }, 202);
  }
  return json({ error: "no such control endpoint" }, 404);
}

async function handle(request) {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/_test/")) {
    try {
      return await control(request);
    } catch (e) {
      return json({ error: String(e?.stack ?? e) }, 500);
    }
  }
  let logged = null;
  if (request.method === "POST" && url.pathname.endsWith("inbox")) {
    const text = await request.clone().text();
    const signature = request.headers.has("signature-input")
      ? "rfc9421"
      : request.headers.has("signature")
        ? "cavage"
        : null;
    logged = { status: 0, signature, body: safeParse(text) };
  }
  const response = await federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => json({ error: "not found" }, 404),
    onNotAcceptable: () => json({ error: "not acceptable" }, 406),
  });
  if (logged) {
    // Listed once answered, so a test never sees a request still being verified.
    logged.status = response.status;
    received.push(logged);
  }
  return response;
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

serve({ fetch: handle, port, hostname: "127.0.0.1" }, () => {
  console.log("ready");
});
