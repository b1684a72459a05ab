//! The core's modules form layers: no module uses, directly or through others, a module that
//! uses it. This reads every file under `core/src`, collects the `crate::…` paths each
//! top-level module names and the `super::…` paths each submodule of the store names, and fails
//! on any cycle, naming it and the lines that close it.
//!
//! Test code (`tests.rs` files and `#[cfg(test)]` modules) is left out: a test may reach
//! across layers to build its fixtures.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An edge `from -> to`, with the first place it was seen (`file:line`).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a file with comments, string and character literals blanked out (lines kept),
/// and without its `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == b'\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if c == b'r' && matches!(b.get(i + 1), Some(b'"') | Some(b'#')) && !ident_byte(b, i)
        {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                if b[j] == b'\n' {
                    out.push('\n');
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j + close.len();
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                if b.get(i) == Some(&b'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            out.push_str("\"\"");
            i += 1;
        } else if c == b'\'' && b.get(i + 2) == Some(&b'\'') {
            out.push_str("' '");
            i += 3;
        } else if c == b'\'' && b.get(i + 1) == Some(&b'\\') {
            let end = text[i + 2..].find('\'').map_or(b.len(), |n| i + 3 + n);
            out.push_str("' '");
            i = end;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    drop_test_items(&out)
}

fn ident_byte(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Blanks each item marked `#[cfg(test)]` (up to its closing brace or semicolon), keeping lines.
fn drop_test_items(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let bytes = out.as_bytes();
        let mut i = at;
        let mut depth = 0;
        let end = loop {
            if i >= bytes.len() {
                break bytes.len();
            }
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break i + 1;
                    }
                }
                b';' if depth == 0 => break i + 1,
                _ => {}
            }
            i += 1;
        };
        let blank: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blank);
    }
    out
}

/// Every path that starts with `prefix` (`crate::` or `super::`) in `code`: the first name after
/// it, or each first name in a `{…}` group, with the line it is on.
fn paths_after(code: &str, prefix: &str) -> Vec<(String, usize)> {
    let b = code.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(n) = code[from..].find(prefix) {
        let at = from + n;
        from = at + prefix.len();
        if ident_byte(b, at) || (at >= 2 && &code[at - 2..at] == "::") {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut starts = vec![];
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        starts.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                if depth >= 1 {
                    item.push(ch);
                }
            }
            starts.push(item);
            for s in starts {
                let name = first_name(s.trim());
                if !name.is_empty() {
                    found.push((name, line));
                }
            }
        } else {
            let name = first_name(rest);
            if !name.is_empty() {
                found.push((name, line));
            }
        }
    }
    found
}

fn first_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The modules `lib.rs` declares, and where each name it re-exports comes from (a `*` import
/// gives the module every other name falls to).
fn crate_root(src: &Path) -> (BTreeSet<String>, BTreeMap<String, String>, Option<String>) {
    let lib = code_of(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut modules = BTreeSet::new();
    let mut names = BTreeMap::new();
    let mut glob = None;
    for line in lib.lines().map(str::trim) {
        if let Some(m) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
        {
            modules.insert(first_name(m));
        } else if let Some(u) = line.strip_prefix("pub use ") {
            let module = first_name(u);
            let rest = u[module.len()..]
                .trim_start_matches("::")
                .trim_end_matches(';');
            if rest == "*" {
                glob = Some(module);
            } else {
                for item in rest.trim_matches(|c| c == '{' || c == '}').split(',') {
                    let item = item.trim();
                    let name = item.rsplit(" as ").next().unwrap_or(item);
                    names.insert(
                        first_name(name.rsplit("::").next().unwrap()),
                        module.clone(),
                    );
                }
            }
        }
    }
    (modules, names, glob)
}

fn add(graph: &mut Graph, from: &str, to: &str, place: String) {
    if from != to {
        graph
            .entry(from.to_string())
            .or_default()
            .entry(to.to_string())
            .or_insert(place);
    }
}

/// Which top-level module uses which, through `crate::` paths.
fn top_level_graph(src: &Path) -> Graph {
    let (modules, names, glob) = crate_root(src);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let from = first.trim_end_matches(".rs").to_string();
        if from == "lib" || rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for (name, line) in paths_after(&code, "crate::") {
            let to = if modules.contains(&name) {
                Some(name)
            } else {
                names.get(&name).cloned().or_else(|| glob.clone())
            };
            if let Some(to) = to {
                add(
                    &mut graph,
                    &from,
                    &to,
                    format!("core/src/{}:{line}", rel.display()),
                );
            }
        }
    }
    graph
}

/// Which submodule of `parent` (a folder of single files) uses which, through `super::` and
/// `crate::<parent>::` paths. The folder's `mod.rs` is where they meet, not one of them.
fn submodule_graph(src: &Path, parent: &str) -> Graph {
    let dir = src.join(parent);
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let children: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| s != "mod" && s != "tests")
        .collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = file.file_stem().unwrap().to_string_lossy().into_owned();
        if !children.contains(&from) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut named = paths_after(&code, "super::");
        let through_crate = format!("crate::{parent}::");
        named.extend(paths_after(&code, &through_crate));
        for (name, line) in named {
            if children.contains(&name) {
                let place = format!("core/src/{parent}/{from}.rs:{line}");
                add(&mut graph, &from, &name, place);
            }
        }
    }
    graph
}

/// Every cycle's strongly connected set of modules, each as one cycle through all of them is
/// hard to read: instead, for each edge inside such a set, the shortest way back.
fn cycles(graph: &Graph) -> Vec<String> {
    let mut reported = BTreeSet::new();
    let mut out = Vec::new();
    for (from, tos) in graph {
        for to in tos.keys() {
            if let Some(back) = shortest_path(graph, to, from) {
                let mut cycle = vec![from.clone()];
                cycle.extend(back);
                // One report per cycle, however it is entered.
                let mut key = cycle[..cycle.len() - 1].to_vec();
                let min = (0..key.len()).min_by_key(|&i| &key[i]).unwrap();
                key.rotate_left(min);
                if !reported.insert(key) {
                    continue;
                }
                let steps: Vec<String> = cycle
                    .windows(2)
                    .map(|w| format!("  {} -> {} ({})", w[0], w[1], graph[&w[0]][&w[1]]))
                    .collect();
                out.push(format!("{}\n{}", cycle.join(" -> "), steps.join("\n")));
            }
        }
    }
    out
}

fn shortest_path(graph: &Graph, from: &str, to: &str) -> Option<Vec<String>> {
    let mut prev: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from.to_string()]);
    let mut seen = BTreeSet::from([from.to_string()]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![at.clone()];
            let mut cur = at;
            while let Some(p) = prev.get(&cur) {
                path.push(p.clone());
                cur = p.clone();
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(&at).into_iter().flat_map(|t| t.keys()) {
            if seen.insert(next.clone()) {
                prev.insert(next.clone(), at.clone());
                queue.push_back(next.clone());
            }
        }
    }
    None
}

fn assert_acyclic(what: &str, graph: &Graph) {
    let found = cycles(graph);
    assert!(
        found.is_empty(),
        "{what} use each other in a cycle; move what both need into a module below them:\n\n{}",
        found.join("\n\n")
    );
}

#[test]
fn the_top_level_modules_have_no_cycle() {
    let graph = top_level_graph(&src());
    assert!(graph.contains_key("store"), "no module was read");
    assert_acyclic("the core's modules", &graph);
}

#[test]
fn the_store_submodules_have_no_cycle() {
    let graph = submodule_graph(&src(), "store");
    assert!(graph.contains_key("records"), "no store module was read");
    assert_acyclic("the store's modules", &graph);
}

#[test]
fn a_cycle_is_found_and_named() {
    let mut graph = Graph::new();
    add(&mut graph, "a", "b", "a.rs:1".into());
    add(&mut graph, "b", "c", "b.rs:2".into());
    add(&mut graph, "c", "a", "c.rs:3".into());
    add(&mut graph, "c", "d", "c.rs:4".into());
    let found = cycles(&graph);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("a -> b -> c -> a"), "{}", found[0]);
    assert!(found[0].contains("c -> a (c.rs:3)"), "{}", found[0]);
}

#[test]
fn paths_are_read_from_code_only() {
    let code = code_of(
        "use crate::{store::Store, error::{Error, Result}};\n\
         // crate::backup is only mentioned\n\
         let s = \"crate::passphrase\";\n\
         let x = crate::sqlite::files::SUFFIX;\n\
         #[cfg(test)]\nmod tests { use crate::import; }\n",
    );
    let names: Vec<String> = paths_after(&code, "crate::")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["store", "error", "sqlite"]);
}
