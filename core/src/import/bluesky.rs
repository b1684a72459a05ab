//! A Bluesky repository export (`.car`, CAR v1 of DAG-CBOR blocks).
//!
//! The CAR framing (a varint-prefixed header, then varint-prefixed blocks of CID + data) is
//! small and fixed, so it is read here directly; the blocks are decoded with `ciborium`, a
//! plain CBOR decoder (DAG-CBOR is CBOR with links as tag 42). The repository's records are
//! found by walking its Merkle search tree from the commit, which gives each record its path
//! (`app.bsky.feed.post/<rkey>`) and so its stable `at://` address.
//!
//! - `app.bsky.graph.follow`: the followed account (a DID only) becomes a contact tagged
//!   `bluesky-following`; named `"unnamed account <did>"` and tagged `unresolved` until a
//!   mention or a later import names it.
//! - `app.bsky.feed.post` that replies to or mentions someone: a public outbound interaction
//!   with them; replies share the thread of their root post. Mentions carry the handle as
//!   written in the post, which names the contact.
//!
//! Keys: contacts `bluesky:<did>` (with the DID among their Bluesky handles), posts
//! `bluesky:<at:// address>`.

use super::{unnamed, Batch, Ctx, Parsed, Participants, UNRESOLVED_TAG};
use crate::domain::*;
use crate::error::Result;
use ciborium::Value;
use std::collections::HashMap;

const DAG_CBOR: u64 = 0x71;

/// A CAR v1 header: a small varint length, then a CBOR map naming `roots` and `version`.
pub(crate) fn recognise(head: &[u8]) -> bool {
    let mut pos = 0;
    let Some(len) = varint(head, &mut pos) else {
        return false;
    };
    if !(8..=1024).contains(&len) || head.get(pos).is_none_or(|b| *b != 0xa2) {
        return false;
    }
    let end = (pos + len as usize).min(head.len());
    let window = &head[pos..end];
    let has = |needle: &[u8]| window.windows(needle.len()).any(|w| w == needle);
    has(b"roots") && has(b"version")
}

fn varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut out: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        out |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(out);
        }
    }
    None
}

/// The length of the CID at the start of `b`, and its codec.
fn cid_len(b: &[u8]) -> Option<(usize, u64)> {
    if b.len() >= 34 && b[0] == 0x12 && b[1] == 0x20 {
        return Some((34, 0x70)); // CIDv0: a bare sha2-256 multihash of dag-pb
    }
    let mut pos = 0;
    let version = varint(b, &mut pos)?;
    if version != 1 {
        return None;
    }
    let codec = varint(b, &mut pos)?;
    let _hash = varint(b, &mut pos)?;
    let digest = varint(b, &mut pos)? as usize;
    let end = pos.checked_add(digest)?;
    (end <= b.len()).then_some((end, codec))
}

/// The largest block read. atproto limits a record to a million bytes of CBOR and tree nodes
/// are far smaller; decoded, a block takes up to forty times its bytes, so a larger one is
/// refused rather than decoded.
const MAX_BLOCK_BYTES: usize = 2 << 20;

/// The blocks of a CAR file, kept as the file's bytes (checked, not decoded: decoded, a small
/// block costs many times its bytes), each decoded only when it is looked at.
struct Car<'a> {
    roots: Vec<Vec<u8>>,
    /// CID bytes → (byte offset of the block's data, its DAG-CBOR data).
    blocks: HashMap<&'a [u8], (usize, &'a [u8])>,
}

impl Car<'_> {
    /// The block with CID `cid`, decoded, and its byte offset.
    fn value(&self, cid: &[u8]) -> Option<(usize, Value)> {
        let (offset, data) = self.blocks.get(cid)?;
        let value = ciborium::from_reader(*data).ok()?;
        Some((*offset, value))
    }
}

fn read_car<'a>(bytes: &'a [u8], ctx: &Ctx<'_>) -> Result<Car<'a>> {
    let mut pos = 0;
    let header_len = varint(bytes, &mut pos)
        .ok_or_else(|| ctx.bad("byte 0", "not a CAR file (no header length)"))?
        as usize;
    let header_end = pos
        .checked_add(header_len)
        .filter(|e| *e <= bytes.len())
        .ok_or_else(|| ctx.bad("byte 0", "the CAR header runs past the end of the file"))?;
    let header: Value = ciborium::from_reader(&bytes[pos..header_end]).map_err(|e| {
        ctx.bad(
            format!("byte {pos}"),
            format!("the CAR header is not CBOR: {}", cbor_problem(&e)),
        )
    })?;
    if get(&header, "version").and_then(int) != Some(1) {
        return Err(ctx.bad(
            format!("byte {pos}"),
            "only CAR version 1 is read (Bluesky's repository export)",
        ));
    }
    let roots: Vec<Vec<u8>> = get(&header, "roots")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(link).collect())
        .unwrap_or_default();
    if roots.is_empty() {
        return Err(ctx.bad(format!("byte {pos}"), "the CAR header names no root"));
    }
    pos = header_end;
    let mut blocks = HashMap::new();
    let mut block_no = 0usize;
    while pos < bytes.len() {
        let start = pos;
        block_no += 1;
        let len = varint(bytes, &mut pos)
            .ok_or_else(|| ctx.bad(format!("byte {start}"), "a block length is cut short"))?
            as usize;
        let end = pos
            .checked_add(len)
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| {
                ctx.bad(
                    format!("byte {start}"),
                    format!(
                        "a block of {len} bytes runs past the end of the file (is it cut short?)"
                    ),
                )
            })?;
        let block = &bytes[pos..end];
        let (clen, codec) = cid_len(block).ok_or_else(|| {
            ctx.bad(
                format!("byte {pos}"),
                "a block does not start with a valid CID",
            )
        })?;
        if block.len() > MAX_BLOCK_BYTES {
            return Err(ctx.bad(
                format!("byte {start}"),
                format!(
                    "block {block_no} is {} bytes, more than the {} Kith reads: no repository record is that large",
                    block.len(),
                    MAX_BLOCK_BYTES
                ),
            ));
        }
        // Past the record limit, blocks are only counted.
        if codec == DAG_CBOR && block_no <= ctx.limits.max_records {
            // Checked now, so a damaged block is named wherever it is; decoded when used.
            ciborium::from_reader::<serde::de::IgnoredAny, _>(&block[clen..]).map_err(|e| {
                ctx.bad(
                    format!("byte {}", pos + clen),
                    format!(
                        "block {block_no} (from byte {start}) is not valid DAG-CBOR: {}",
                        cbor_problem(&e)
                    ),
                )
            })?;
            blocks.insert(&block[..clen], (pos, &block[clen..]));
        }
        pos = end;
    }
    super::records::check_count(
        &ctx.label,
        "the whole file",
        "blocks",
        block_no,
        ctx.limits.max_records,
    )?;
    Ok(Car { roots, blocks })
}

pub(crate) fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_map()?
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

pub(crate) fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    get(v, key).and_then(Value::as_text)
}

fn int(v: &Value) -> Option<i128> {
    v.as_integer().map(i128::from)
}

/// The CID bytes of a DAG-CBOR link (tag 42 around a byte string with a leading 0).
fn link(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::Tag(42, inner) => inner
            .as_bytes()
            .and_then(|b| b.strip_prefix(&[0u8]))
            .map(<[u8]>::to_vec),
        _ => None,
    }
}

/// One entry of a tree node: (key, record CID, subtree CID).
type TreeEntry = (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);

/// Every (path, record CID) in the tree under `node`. Missing nodes (a partial export) are
/// counted, not fatal. Each node is decoded, read into its entries and dropped before the
/// walk goes down; every entry counts towards `limit`, so a tree naming its nodes over and
/// over (or more records than an import takes) stops: `Err` once `entries` passes it.
fn walk(
    car: &Car<'_>,
    node: &[u8],
    out: &mut Vec<(String, Vec<u8>)>,
    missing: &mut u32,
    depth: u32,
    entries: &mut usize,
    limit: usize,
) -> std::result::Result<(), ()> {
    if depth > 128 {
        return Ok(());
    }
    let Some((_, value)) = car.value(node) else {
        *missing += 1;
        return Ok(());
    };
    let left = get(&value, "l").and_then(link);
    let mut items: Vec<TreeEntry> = Vec::new();
    let mut last_key: Vec<u8> = Vec::new();
    for e in get(&value, "e")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        *entries += 1;
        if *entries > limit {
            return Err(());
        }
        let prefix = get(e, "p")
            .and_then(int)
            .unwrap_or(0)
            .clamp(0, last_key.len() as i128) as usize;
        let suffix = get(e, "k")
            .and_then(Value::as_bytes)
            .map_or(&[][..], Vec::as_slice);
        let mut key = last_key[..prefix].to_vec();
        key.extend_from_slice(suffix);
        items.push((
            key.clone(),
            get(e, "v").and_then(link),
            get(e, "t").and_then(link),
        ));
        last_key = key;
    }
    drop(value);
    if let Some(l) = left {
        walk(car, &l, out, missing, depth + 1, entries, limit)?;
    }
    for (key, record, subtree) in items {
        if let Some(v) = record {
            out.push((String::from_utf8_lossy(&key).into_owned(), v));
        }
        if let Some(t) = subtree {
            walk(car, &t, out, missing, depth + 1, entries, limit)?;
        }
    }
    Ok(())
}

/// What is wrong with a CBOR value, in words (the decoder's own `Syntax(112)` means nothing to
/// a reader). Offsets are within the value being read.
fn cbor_problem(e: &ciborium::de::Error<std::io::Error>) -> String {
    use ciborium::de::Error as E;
    match e {
        E::Io(_) => "it ends before the value is complete (is the file cut short?)".into(),
        E::Syntax(at) => format!("unreadable data {at} bytes into it"),
        E::Semantic(Some(at), m) => format!("{m} ({at} bytes into it)"),
        E::Semantic(None, m) => m.clone(),
        E::RecursionLimitExceeded => "it is nested too deeply to be a repository record".into(),
    }
}

pub(crate) fn did_of_uri(uri: &str) -> Option<&str> {
    uri.strip_prefix("at://")?
        .split('/')
        .next()
        .filter(|d| d.starts_with("did:"))
}

/// A repository as a CAR holds it: whose it is, its revision, and the path and CID of each
/// record its tree names. The records themselves are decoded one at a time with
/// [`Repo::record`], so a large repository is never held decoded.
pub(crate) struct Repo<'a> {
    car: Car<'a>,
    /// The account (DID) the repository belongs to.
    pub did: String,
    /// The commit's revision (a TID), where the commit gives one: what a sync asks changes
    /// since.
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub rev: Option<String>,
    /// (path, record CID) of every record in the tree, in key order.
    pub records: Vec<(String, Vec<u8>)>,
    /// Parts of the tree not in the file (a partial export, or a diff since a revision).
    pub missing: u32,
}

impl Repo<'_> {
    /// The record with CID `cid`, decoded, and its byte offset; `None` when the file does
    /// not hold it (a diff carries only what changed).
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub fn record(&self, cid: &[u8]) -> Option<(usize, Value)> {
        self.car.value(cid)
    }
}

/// Reads a repository's CAR: its commit and the records its tree names.
pub(crate) fn read_repo<'a>(bytes: &'a [u8], ctx: &mut Ctx<'_>) -> Result<Repo<'a>> {
    ctx.tick("reading the repository", 0, None)?;
    let car = read_car(bytes, ctx)?;
    let root = &car.roots[0];
    let (_, commit) = car.value(root).ok_or_else(|| {
        ctx.bad(
            "the CAR header",
            "the root block (the commit) is not in the file",
        )
    })?;
    // v2/v3 commits hold `did` and `data`; v1 repositories wrap them in a signed root.
    let mut commit = commit;
    if get(&commit, "data").is_none() {
        if let Some((_, inner)) = get(&commit, "root")
            .and_then(link)
            .and_then(|r| car.value(&r))
        {
            commit = inner;
        }
    }
    let commit = &commit;
    let owner = text(commit, "did")
        .map(str::to_string)
        .or_else(|| {
            get(commit, "meta")
                .and_then(link)
                .and_then(|m| car.value(&m))
                .and_then(|(_, m)| text(&m, "did").map(str::to_string))
        })
        .ok_or_else(|| ctx.bad("the commit block", "the commit names no account (did)"))?;
    let rev = text(commit, "rev").map(str::to_string);
    let data = get(commit, "data")
        .and_then(link)
        .ok_or_else(|| ctx.bad("the commit block", "the commit has no record tree (data)"))?;
    let mut records = Vec::new();
    let mut missing = 0;
    let mut entries = 0;
    let limit = ctx.limits.max_records;
    walk(
        &car,
        &data,
        &mut records,
        &mut missing,
        0,
        &mut entries,
        limit,
    )
    .map_err(|()| {
        super::records::too_many(
            &ctx.label,
            "the record tree",
            "tree entries",
            entries as u64,
            true,
            limit,
        )
    })?;
    Ok(Repo {
        car,
        did: owner,
        rev,
        records,
        missing,
    })
}

pub(crate) fn parse(bytes: &[u8], ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let repo = read_repo(bytes, ctx)?;
    let mut parsed = from_repo(&repo, ctx)?;
    if repo.missing > 0 {
        parsed.notes.insert(0, format!(
            "{} parts of the repository's record tree are not in this file (a partial export); their records were not imported",
            repo.missing
        ));
    }
    Ok(parsed)
}

/// The follows and the conversations (replies, mentions) among a repository's records, as
/// the importer keeps them; a live sync reads its user's repository with the same function,
/// so both give a post the same key.
pub(crate) fn from_repo(repo: &Repo<'_>, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let car = &repo.car;
    let owner = repo.did.as_str();
    let records = &repo.records;
    let mut batch = Batch::new(ctx.now);
    // Roots of replies, to thread the posts that started them.
    let mut reply_roots = std::collections::HashSet::new();
    for (_, cid) in records {
        if let Some((_, r)) = car.value(cid) {
            if let Some(uri) = get(&r, "reply")
                .and_then(|x| get(x, "root"))
                .and_then(|x| text(x, "uri"))
            {
                reply_roots.insert(uri.to_string());
            }
        }
    }
    let total = records.len() as u64;
    for (n, (path, cid)) in records.iter().enumerate() {
        ctx.tick_every("importing records", n as u64, Some(total))?;
        let Some((offset, record)) = car.value(cid) else {
            batch.skipped += 1;
            continue;
        };
        let record = &record;
        let place = || format!("record {path} (byte {offset})");
        match text(record, "$type") {
            Some("app.bsky.graph.follow") => {
                let Some(did) = text(record, "subject").filter(|d| d.starts_with("did:")) else {
                    return Err(ctx.bad(place(), "a follow without a subject DID"));
                };
                if did == owner {
                    continue;
                }
                let key = account(&mut batch, did, None);
                if let Some(mut c) = batch.get_mut(&key) {
                    c.add_tag("bluesky-following");
                }
            }
            Some("app.bsky.feed.post") => {
                let body = text(record, "text").unwrap_or("");
                let mut people = Participants::default();
                let parent = get(record, "reply")
                    .and_then(|r| get(r, "parent"))
                    .and_then(|p| text(p, "uri"));
                if let Some(did) = parent.and_then(did_of_uri) {
                    if did != owner {
                        people.add(&account(&mut batch, did, None));
                    }
                }
                for facet in get(record, "facets")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    let index = get(facet, "index");
                    let start = index
                        .and_then(|i| get(i, "byteStart"))
                        .and_then(int)
                        .unwrap_or(0);
                    let end = index
                        .and_then(|i| get(i, "byteEnd"))
                        .and_then(int)
                        .unwrap_or(0);
                    let written = usize::try_from(start)
                        .ok()
                        .zip(usize::try_from(end).ok())
                        .and_then(|(s, e)| body.get(s..e));
                    for f in get(facet, "features")
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                    {
                        if text(f, "$type") != Some("app.bsky.richtext.facet#mention") {
                            continue;
                        }
                        let Some(did) = text(f, "did").filter(|d| d.starts_with("did:")) else {
                            continue;
                        };
                        if did == owner {
                            continue;
                        }
                        let handle = written
                            .map(|w| w.trim().trim_start_matches('@'))
                            .filter(|w| !w.is_empty());
                        people.add(&account(&mut batch, did, handle));
                    }
                }
                if people.is_empty() {
                    batch.skipped += 1;
                    continue;
                }
                let created = text(record, "createdAt")
                    .ok_or_else(|| ctx.bad(place(), "a post without createdAt"))?;
                let at = crate::archive::parse_datetime(created)
                    .map_err(|m| ctx.bad(format!("{}.createdAt", place()), m))?;
                let uri = format!("at://{owner}/{path}");
                let thread = get(record, "reply")
                    .and_then(|r| get(r, "root"))
                    .and_then(|r| text(r, "uri"))
                    .map(str::to_string)
                    .or_else(|| reply_roots.contains(&uri).then(|| uri.clone()))
                    .map(|r| format!("bluesky:thread:{r}"));
                batch.interaction(Interaction {
                    id: format!("bluesky:{uri}"),
                    contact_ids: people.into_keys(),
                    channel: Channel::Bluesky,
                    direction: Direction::Outbound,
                    occurred_at: at,
                    public: true,
                    text: body.to_string(),
                    thread,
                    tags: Vec::new(),
                    moment: None,
                });
            }
            _ => batch.skipped += 1,
        }
    }
    Ok(batch.finish())
}

/// The contact for `did`, named by `handle` when a post gave it.
fn account(batch: &mut Batch, did: &str, handle: Option<&str>) -> String {
    let key = format!("bluesky:{did}");
    let new = !batch.has_contact(&key);
    let mut c = batch.contact(&key, &unnamed(did));
    if new {
        c.add_tag(UNRESOLVED_TAG);
        // The DID never changes while handles do: it is what a live sync recognises the
        // account by, whatever its handle is then.
        c.add_handle(Platform::Bluesky, did);
    }
    if let Some(h) = handle {
        if c.has_tag(UNRESOLVED_TAG) {
            c.name = format!("@{h}");
            c.remove_tag(UNRESOLVED_TAG);
        }
        c.add_handle(Platform::Bluesky, h);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_cids() {
        let mut pos = 0;
        assert_eq!(varint(&[0xac, 0x02], &mut pos), Some(300));
        assert_eq!(pos, 2);
        assert_eq!(varint(&[0x80], &mut 0), None);
        // CIDv1, dag-cbor, sha2-256, 32-byte digest
        let mut cid = vec![0x01, 0x71, 0x12, 0x20];
        cid.extend([7u8; 32]);
        assert_eq!(cid_len(&cid), Some((36, DAG_CBOR)));
        assert_eq!(cid_len(&cid[..20]), None);
        assert_eq!(
            did_of_uri("at://did:plc:abc/app.bsky.feed.post/1"),
            Some("did:plc:abc")
        );
    }
}
