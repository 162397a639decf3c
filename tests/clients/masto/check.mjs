// Staffroom driven by masto, the library behind web apps such as Elk and Phanpy.
//
//   node masto/check.mjs post     sign in with the password grant, post, read it back
//   node masto/check.mjs stream   sign in, open the WebSocket stream of the user's
//                                 home, post, and wait for the post's `update` event
//
// Reads MASTO_CHECK_URL, MASTO_CHECK_LOGIN and MASTO_CHECK_PASSWORD. Prints one JSON
// object as its last line and exits 0, or explains what went wrong and exits 1.

import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";

import { check, checking, fail, required, run } from "../checks.mjs";

checking("masto");

// How long to wait for one post's event before posting another: the server may
// not yet have read the subscription when the first post is made.
const EVENT_WAIT_MS = 5_000;
const ATTEMPTS = 10;

const url = required("MASTO_CHECK_URL");
const login = required("MASTO_CHECK_LOGIN");
const password = required("MASTO_CHECK_PASSWORD");
const scope = "read write follow push";
const oob = "urn:ietf:wg:oauth:2.0:oob";

async function signIn() {
  const app = await createRestAPIClient({ url }).v1.apps.create({
    clientName: "masto check",
    redirectUris: oob,
    scopes: scope,
  });
  const token = await createOAuthAPIClient({ url }).token.create({
    grantType: "password",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: oob,
    scope,
    username: login,
    password,
  });
  check(token.tokenType.toLowerCase() === "bearer", `token type ${token.tokenType}`);
  check(Number.isInteger(token.createdAt), `created_at ${token.createdAt}`);
  const { accessToken } = token;
  return { accessToken, rest: createRestAPIClient({ url, accessToken }) };
}

async function post() {
  const { rest } = await signIn();
  const me = await rest.v1.accounts.verifyCredentials();
  const status = await rest.v1.statuses.create({ status: "Posted with masto #mastocheck" });
  check(status.account.id === me.id, "the status is not the signed-in account's");
  const tags = status.tags.map((t) => t.name);
  check(tags.join() === "mastocheck", `tags ${JSON.stringify(tags)}`);
  const again = await rest.v1.statuses.$select(status.id).fetch();
  check(again.content === status.content, "the status read back differs");
  const timeline = await rest.v1.timelines.public.list({ local: true, limit: 40 });
  check(timeline.some((s) => s.id === status.id), "the status is not in the public timeline");
  return { username: me.username, status: status.id };
}

async function stream() {
  const { accessToken, rest } = await signIn();
  const instance = await rest.v2.instance.fetch();
  const streamingApiUrl = instance.configuration.urls.streaming;
  check(streamingApiUrl, "the instance names no streaming URL");
  // The token goes in Sec-WebSocket-Protocol, as browsers must send it.
  const streaming = createStreamingAPIClient({ streamingApiUrl, accessToken, retry: 3 });
  const subscription = streaming.user.subscribe();
  const events = subscription[Symbol.asyncIterator]();
  const posted = new Set();
  const timedOut = Symbol("timed out");
  let pending = events.next();
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const text = `Streamed with masto, try ${attempt}`;
      const status = await rest.v1.statuses.create({ status: text });
      posted.add(status.id);
      const deadline = Date.now() + EVENT_WAIT_MS;
      while (Date.now() < deadline) {
        const result = await Promise.race([
          pending,
          new Promise((resolve) => setTimeout(() => resolve(timedOut), deadline - Date.now())),
        ]);
        if (result === timedOut) {
          break;
        }
        check(!result.done, "the stream ended");
        pending = events.next();
        const event = result.value;
        if (event.event === "update" && posted.has(event.payload.id)) {
          check(event.payload.account.username, "the update's status has no account");
          return {
            stream: event.stream,
            event: event.event,
            status: event.payload.id,
            attempts: attempt,
          };
        }
      }
    }
    fail(`no update event for any of ${posted.size} posts`);
  } finally {
    streaming.close();
  }
}

await run({ post, stream });
