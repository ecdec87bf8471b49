// An e-journal that signs people in with VK ID (OAuth 2.1, PKCE) — plain Node, no packages.
// Nothing in it knows about the simulator: VK ID's address is configuration, as in production.
//
//   PORT=8000 VKID_URL=http://id.localhost:8780 CLIENT_ID=journal_node \
//   REDIRECT_URI=http://journal.localhost:8000/callback node journal.mjs
//
// VKID_URL defaults to https://id.vk.com. Names under .localhost are the loopback (RFC 6761): browsers
// resolve them so, Node's resolver does not, so the server's own calls are pointed there explicitly.
import { createServer, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createHash, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

const PORT = Number(process.env.PORT ?? 8000);
const VKID_URL = (process.env.VKID_URL ?? "https://id.vk.com").replace(/\/$/, "");
const CLIENT_ID = process.env.CLIENT_ID ?? "journal_node";
const REDIRECT_URI = process.env.REDIRECT_URI ?? `http://journal.localhost:${PORT}/callback`;
const SCOPE = "vkid.personal_info phone";
const TIMEOUT_MS = 5000; // VK ID that does not answer in time is an error shown to the person, not a hang

const sessions = new Map(); // cookie sid -> {pending: {state, verifier}} or {tokens, deviceId}

const random = (bytes) => randomBytes(bytes).toString("base64url");
const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

class VkIdError extends Error {
  constructor(status, body) {
    super(`${body.error ?? "error"}: ${body.error_description ?? status}`);
    this.status = status;
    this.error = body.error;
  }
}

// POST a form to VK ID; its JSON answer, or VkIdError (a refusal, a 5xx, a timeout).
function vkid(path, form) {
  const url = new URL(VKID_URL + path);
  const body = new URLSearchParams(form).toString();
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const loopback = url.hostname.endsWith(".localhost") ? { lookup: (_h, _o, done) => done(null, [{ address: "127.0.0.1", family: 4 }]) } : {};
  return new Promise((resolve, reject) => {
    const call = send(url, { method: "POST", timeout: TIMEOUT_MS, headers: { "Content-Type": "application/x-www-form-urlencoded" }, ...loopback }, (answer) => {
      let text = "";
      answer.setEncoding("utf8").on("data", (chunk) => (text += chunk)).on("end", () => {
        let json = {};
        try { json = JSON.parse(text); } catch { /* not JSON: told by the status */ }
        if (answer.statusCode >= 400) reject(new VkIdError(answer.statusCode, json));
        else resolve(json);
      });
    });
    call.on("timeout", () => call.destroy(new VkIdError(504, { error: "timeout", error_description: "VK ID не ответил вовремя" })));
    call.on("error", (error) => reject(error instanceof VkIdError ? error : new VkIdError(502, { error: "unreachable", error_description: error.message })));
    call.end(body);
  });
}

function page(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
  res.end(`<!doctype html><html lang="ru"><meta charset="utf-8"><title>Журнал</title><body>${body}</body></html>`);
}
const failed = (res, status, why) => page(res, status, `<h1>Не удалось войти</h1><p role="alert">${escape(why)}</p><p><a href="/">На главную</a></p>`);

function sessionOf(req, res) {
  const sid = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
  if (sid && sessions.has(sid)) return { sid, data: sessions.get(sid) };
  const fresh = random(18);
  sessions.set(fresh, {});
  res.setHeader("Set-Cookie", `sid=${fresh}; HttpOnly; SameSite=Lax; Path=/`);
  return { sid: fresh, data: sessions.get(fresh) };
}

async function profile(data) {
  try {
    return (await vkid("/oauth2/user_info", { client_id: CLIENT_ID, access_token: data.tokens.access_token })).user;
  } catch (error) {
    if (error.status !== 401) throw error;
    // The access token has expired: the refresh token gets a new pair, once.
    data.tokens = await vkid("/oauth2/auth", {
      grant_type: "refresh_token", refresh_token: data.tokens.refresh_token, client_id: CLIENT_ID,
      device_id: data.deviceId, state: random(32),
    });
    return (await vkid("/oauth2/user_info", { client_id: CLIENT_ID, access_token: data.tokens.access_token })).user;
  }
}

async function home(req, res, session) {
  if (session.data.tokens) {
    try {
      const user = await profile(session.data);
      return page(res, 200, `<p>Вы вошли: ${escape(user.first_name)} ${escape(user.last_name)}</p>
        <form method="post" action="/logout"><button>Выйти</button></form>`);
    } catch {
      delete session.data.tokens; // VK ID no longer knows this sign-in: the person signs in again
    }
  }
  page(res, 200, `<h1>Электронный журнал</h1><a href="/login" role="button">Войти через VK ID</a>`);
}

function login(req, res, session) {
  const verifier = random(48);
  const state = random(32);
  session.data.pending = { state, verifier };
  const query = new URLSearchParams({
    response_type: "code", client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, state, scope: SCOPE,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "s256",
  });
  res.writeHead(302, { Location: `${VKID_URL}/authorize?${query}` }).end();
}

async function callback(req, res, session, params) {
  const pending = session.data.pending;
  delete session.data.pending; // one answer per sign-in: a replayed callback finds nothing pending
  if (!pending || (!flaws.ignoresState && params.get("state") !== pending.state)) return failed(res, 400, "Ответ VK ID не относится к этому входу (state не совпадает).");
  if (params.get("error") && flaws.crashesOnRefusal) throw new Error(`VK ID: ${params.get("error")}`);
  if (params.get("error")) return failed(res, 400, params.get("error") === "access_denied" ? "Вы отказались от входа через VK ID." : `VK ID: ${params.get("error")}`);
  try {
    const tokens = await vkid("/oauth2/auth", {
      grant_type: "authorization_code", code: params.get("code") ?? "", code_verifier: pending.verifier,
      client_id: CLIENT_ID, device_id: params.get("device_id") ?? "", redirect_uri: REDIRECT_URI, state: pending.state,
    });
    const data = { tokens, deviceId: params.get("device_id") };
    await profile(data); // user_info refused: no session is made
    session.data.tokens = data.tokens;
    session.data.deviceId = data.deviceId;
  } catch (error) {
    if (flaws.crashesOnVkIdFailure && error.status >= 500) throw error;
    return failed(res, 502, `VK ID не подтвердил вход: ${error.message}`);
  }
  res.writeHead(302, { Location: "/" }).end();
}

async function logout(req, res, session) {
  const tokens = session.data.tokens;
  sessions.delete(session.sid);
  if (tokens) await vkid("/oauth2/logout", { client_id: CLIENT_ID, access_token: tokens.access_token }).catch(() => {});
  res.writeHead(303, { Location: "/", "Set-Cookie": "sid=; Max-Age=0; Path=/" }).end();
}

// What this journal gets wrong on purpose: nothing, run as itself; broken-journal.mjs starts it with every flaw.
let flaws = {};

export function start(journalFlaws = {}) {
  flaws = journalFlaws;
  createServer(async (req, res) => {
    const url = new URL(req.url, "http://journal");
    const session = sessionOf(req, res);
    try {
      if (req.method === "GET" && url.pathname === "/") return await home(req, res, session);
      if (req.method === "GET" && url.pathname === "/login") return login(req, res, session);
      if (req.method === "GET" && url.pathname === new URL(REDIRECT_URI).pathname) return await callback(req, res, session, url.searchParams);
      if (req.method === "POST" && url.pathname === "/logout") return await logout(req, res, session);
      page(res, 404, "<p>Такой страницы нет.</p>");
    } catch (error) {
      console.error(error);
      page(res, 500, "<p>Внутренняя ошибка журнала.</p>");
    }
  }).listen(PORT, "127.0.0.1", () => console.log(`journal on http://127.0.0.1:${PORT}/`));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) start();
