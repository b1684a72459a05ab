// A private AT Protocol network for Kith's Bluesky tests: the reference PLC directory and PDS
// (@atproto/dev-env), on loopback ports chosen by the system, with a second PDS for a contact
// whose repository lives elsewhere.
//
//   node network.mjs
//
// Prints one JSON line when ready:
//   {"ready":true,"plc":URL,"pds":URL,"pds2":URL,"accounts":{"ann":{did,handle,password,
//    app_password,pds},...}}
// then reads one JSON command per line on stdin and answers one JSON line on stdout each:
//   {"cmd":"post","as":"bob","text":"…","reply_to":URI?,"mention":["ann"]?,"quote":URI?}
//                                                       → {"ok":true,"uri":…,"cid":…}
//   {"cmd":"follow","as":"ann","subject":"bob"}          → {"ok":true,"uri":…}
//   {"cmd":"like","as":"bob","uri":URI}                  → {"ok":true,"uri":…}
//   {"cmd":"delete","as":"bob","uri":URI}                → {"ok":true}
//   {"cmd":"handle","as":"bob","handle":"robert.test"}   → {"ok":true,"handle":…}
//   {"cmd":"revoke","as":"ann"}     (deletes every app password of the account) → {"ok":true}
//   {"cmd":"app_password","as":"ann"}                    → {"ok":true,"password":…}
//   {"cmd":"expire_next_session"}   (the next session's access token is already expired)
//                                                       → {"ok":true}
//   {"cmd":"stop_pds2"} / {"cmd":"stop_pds"}             → {"ok":true}
//   {"cmd":"quit"}                                       → {"ok":true}, then exits
// A command that fails answers {"ok":false,"error":"…"}. The network closes when stdin closes.
//
// Accounts: ann (the librarian who connects Kith), bob and cat on the first PDS, dan on the
// second. Every account's password is "hunter2-<name>"; ann also has an app password.

import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { TestNetworkNoAppView, TestPds, mockNetworkUtilities } from '@atproto/dev-env'

// The PDS's token helpers, so a test can be handed a session that has already expired: the
// next access token the PDS issues after "expire_next_session" is dated a minute in the past.
const require = createRequire(import.meta.url)
const tokens = require('@atproto/pds/dist/account-manager/helpers/auth.js')
const createAccessToken = tokens.createAccessToken
let expireNext = 0
tokens.createAccessToken = (opts) => {
  if (expireNext > 0) {
    expireNext -= 1
    return createAccessToken({ ...opts, expiresIn: Math.floor(Date.now() / 1000) - 60 })
  }
  return createAccessToken(opts)
}

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const net = await TestNetworkNoAppView.create({})
const pds2 = await TestPds.create({ didPlcUrl: net.plc.url })
mockNetworkUtilities(pds2)

const agents = {}
const accounts = {}
// uri → { cid, root: {uri, cid} }, for replies and quotes.
const records = {}

async function createAccount(name, pds) {
  const agent = pds.getClient()
  const handle = `${name}.test`
  const password = `hunter2-${name}`
  await agent.createAccount({ email: `${name}@example.test`, handle, password })
  agents[name] = agent
  accounts[name] = { did: agent.session.did, handle, password, pds: pds.url }
}

await createAccount('ann', net.pds)
await createAccount('bob', net.pds)
await createAccount('cat', net.pds)
await createAccount('dan', pds2)
{
  const res = await agents.ann.com.atproto.server.createAppPassword({ name: 'kith' })
  accounts.ann.app_password = res.data.password
}

function agentOf(name) {
  const agent = agents[name]
  if (!agent) throw new Error(`no account named ${name}`)
  return agent
}

function rkeyOf(uri) {
  return uri.split('/').pop()
}

async function post(cmd) {
  const agent = agentOf(cmd.as)
  let text = cmd.text ?? ''
  const facets = []
  for (const who of cmd.mention ?? []) {
    const acc = accounts[who]
    if (!acc) throw new Error(`no account named ${who}`)
    const mention = `@${acc.handle}`
    const prefix = text.length ? `${text} ` : ''
    const byteStart = Buffer.byteLength(prefix, 'utf8')
    text = prefix + mention
    facets.push({
      index: { byteStart, byteEnd: byteStart + Buffer.byteLength(mention, 'utf8') },
      features: [{ $type: 'app.bsky.richtext.facet#mention', did: acc.did }],
    })
  }
  const record = { text, createdAt: cmd.created_at ?? new Date().toISOString() }
  if (facets.length) record.facets = facets
  if (cmd.reply_to) {
    const parent = records[cmd.reply_to]
    if (!parent) throw new Error(`unknown post ${cmd.reply_to}`)
    record.reply = {
      root: parent.root,
      parent: { uri: cmd.reply_to, cid: parent.cid },
    }
  }
  if (cmd.quote) {
    const quoted = records[cmd.quote]
    if (!quoted) throw new Error(`unknown post ${cmd.quote}`)
    record.embed = {
      $type: 'app.bsky.embed.record',
      record: { uri: cmd.quote, cid: quoted.cid },
    }
  }
  const res = await agent.post(record)
  records[res.uri] = {
    cid: res.cid,
    root: record.reply ? record.reply.root : { uri: res.uri, cid: res.cid },
  }
  return { uri: res.uri, cid: res.cid, text }
}

async function run(cmd) {
  switch (cmd.cmd) {
    case 'post':
      return post(cmd)
    case 'follow': {
      const subject = accounts[cmd.subject]?.did ?? cmd.subject
      const res = await agentOf(cmd.as).follow(subject)
      return { uri: res.uri }
    }
    case 'like': {
      const target = records[cmd.uri]
      if (!target) throw new Error(`unknown post ${cmd.uri}`)
      const res = await agentOf(cmd.as).like(cmd.uri, target.cid)
      return { uri: res.uri }
    }
    case 'delete': {
      const agent = agentOf(cmd.as)
      const [, , repo, collection, rkey] = cmd.uri.split('/')
      await agent.com.atproto.repo.deleteRecord({ repo, collection, rkey: rkey ?? rkeyOf(cmd.uri) })
      return {}
    }
    case 'handle': {
      await agentOf(cmd.as).com.atproto.identity.updateHandle({ handle: cmd.handle })
      accounts[cmd.as].handle = cmd.handle
      return { handle: cmd.handle }
    }
    case 'app_password': {
      const res = await agentOf(cmd.as).com.atproto.server.createAppPassword({
        name: `kith-${Date.now()}`,
      })
      return { password: res.data.password }
    }
    case 'revoke': {
      const agent = agentOf(cmd.as)
      const list = await agent.com.atproto.server.listAppPasswords()
      for (const p of list.data.passwords) {
        await agent.com.atproto.server.revokeAppPassword({ name: p.name })
      }
      return {}
    }
    case 'expire_next_session':
      expireNext = 1
      return {}
    case 'stop_pds2':
      await pds2.close()
      return {}
    case 'stop_pds':
      await net.pds.close()
      return {}
    case 'quit':
      return {}
    default:
      throw new Error(`unknown command ${cmd.cmd}`)
  }
}

async function shutdown(code) {
  await Promise.allSettled([pds2.close(), net.close()])
  process.exit(code)
}

out({ ready: true, plc: net.plc.url, pds: net.pds.url, pds2: pds2.url, accounts })

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (!line.trim()) continue
  let cmd
  try {
    cmd = JSON.parse(line)
    const res = await run(cmd)
    out({ ok: true, ...res })
  } catch (err) {
    out({ ok: false, error: String(err?.message ?? err) })
  }
  if (cmd?.cmd === 'quit') break
}
await shutdown(0)
