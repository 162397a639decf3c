// Staffroom driven by megalodon, the library behind desktop and web apps such as
// Whalebird and Fedistar.
//
//   node megalodon/check.mjs features
//
// Signs in with the password grant (megalodon itself only trades authorization
// codes, which need a browser), then through megalodon: trades the refresh token
// for a new access token and checks that the old one no longer works; follows
// MEGALODON_CHECK_ENDORSE and reads the suggestions; endorses the account, reads
// the endorsements and the relationship, and withdraws the endorsement; reads
// the trending tags.
//
// Reads MEGALODON_CHECK_URL, MEGALODON_CHECK_LOGIN, MEGALODON_CHECK_PASSWORD and
// MEGALODON_CHECK_ENDORSE (an account id). Prints one JSON object as its last
// line and exits 0, or explains what went wrong and exits 1.

import generator from "megalodon";

import { check, checking, required, run } from "../checks.mjs";

checking("megalodon");

const url = required("MEGALODON_CHECK_URL");
const login = required("MEGALODON_CHECK_LOGIN");
const password = required("MEGALODON_CHECK_PASSWORD");
const endorse = required("MEGALODON_CHECK_ENDORSE");
const scopes = ["read", "write", "follow"];

// The HTTP status of a request megalodon refused, or null if it went through.
async function statusOf(request) {
  try {
    await request();
    return null;
  } catch (error) {
    return error.response?.status ?? `no answer: ${error.message}`;
  }
}

async function signIn() {
  const app = await generator("mastodon", url).registerApp("megalodon check", { scopes });
  const response = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      grant_type: "password",
      client_id: app.client_id,
      client_secret: app.client_secret,
      scope: scopes.join(" "),
      username: login,
      password,
    }),
  });
  check(response.ok, `the password grant answered ${response.status}`);
  const token = await response.json();
  check(typeof token.refresh_token === "string", `no refresh token in ${JSON.stringify(token)}`);
  return { app, token };
}

async function features() {
  const { app, token } = await signIn();
  const anonymous = generator("mastodon", url);
  const refreshed = await anonymous.refreshToken(app.client_id, app.client_secret, token.refresh_token);
  check(refreshed.access_token && refreshed.access_token !== token.access_token, "no new access token");
  const old = generator("mastodon", url, token.access_token);
  const oldStatus = await statusOf(() => old.verifyAccountCredentials());
  const again = await statusOf(() =>
    anonymous.refreshToken(app.client_id, app.client_secret, token.refresh_token),
  );
  const client = generator("mastodon", url, refreshed.access_token);
  const me = (await client.verifyAccountCredentials()).data;

  await client.followAccount(endorse);
  const suggestions = (await client.getSuggestions(40)).data.map((a) => a.id);

  const endorsed = (await client.pinAccount(endorse)).data;
  check(endorsed.id === endorse, `the relationship of ${endorsed.id}`);
  const endorsements = (await client.getEndorsements({ limit: 40 })).data.map((a) => a.id);
  const relationship = (await client.getRelationship(endorse)).data;
  const withdrawn = (await client.unpinAccount(endorse)).data;
  const after = (await client.getEndorsements()).data.map((a) => a.id);
  const trends = (await client.getInstanceTrends(10)).data.map((t) => t.name);

  return {
    username: me.username,
    old_token_status: oldStatus,
    spent_refresh_status: again,
    suggestions,
    endorsed: endorsed.endorsed,
    endorsements,
    relationship_endorsed: relationship.endorsed,
    withdrawn_endorsed: withdrawn.endorsed,
    endorsements_after: after,
    trends,
  };
}

await run({ features });
