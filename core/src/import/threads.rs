//! Reply chains: which post each conversation starts from.
//!
//! An archive says, for each reply, the post it replies to. A conversation is named after its
//! first post, the root, found by following the replies up. The roots of every post are found
//! together: each post is passed once on the way to its root and then points straight at it,
//! so an archive of one reply chain of any length costs its length.
//!
//! A damaged or made-up archive can hold a loop (A replies to B, B to A). A loop has no first
//! post: every post on it, and every reply leading into it, gets the smallest id on the loop,
//! whatever order the archive lists them in.

use std::collections::HashMap;
use std::hash::Hash;

/// Replaces each post's parent in `parent_of` (reply → the post it replies to) by the root of
/// its chain: a post that replies to nothing the map knows, or the smallest id of a loop.
/// Returns the number of steps taken, at most three for each post.
pub(crate) fn resolve_roots<K: Copy + Eq + Hash + Ord>(parent_of: &mut HashMap<K, K>) -> usize {
    // A root is a post that replies to nothing, or a loop's smallest id, which is made to
    // point at itself.
    let is_root = |map: &HashMap<K, K>, post: K| map.get(&post).is_none_or(|p| *p == post);
    let posts: Vec<K> = parent_of.keys().copied().collect();
    let mut steps = 0;
    let mut path: Vec<K> = Vec::new();
    let mut on_path: HashMap<K, usize> = HashMap::new();
    for start in posts {
        path.clear();
        on_path.clear();
        let mut at = start;
        let root = loop {
            steps += 1;
            if is_root(parent_of, at) {
                break at;
            }
            if let Some(&from) = on_path.get(&at) {
                // Around a loop and back: its smallest id is the root of all of it.
                let root = path[from..].iter().copied().min().unwrap_or(at);
                parent_of.insert(root, root);
                break root;
            }
            let parent = parent_of[&at];
            if parent != at && is_root(parent_of, parent) && !on_path.contains_key(&parent) {
                // Pointing at a root already (a post resolved before, or a chain's top).
                path.push(at);
                break parent;
            }
            on_path.insert(at, path.len());
            path.push(at);
            at = parent;
        };
        for post in path.drain(..) {
            if post != root {
                parent_of.insert(post, root);
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(pairs: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut map: HashMap<&str, &str> = pairs.iter().copied().collect();
        resolve_roots(&mut map);
        let mut out: Vec<_> = map.into_iter().collect();
        out.sort();
        out
    }

    #[test]
    fn every_reply_points_at_the_first_post_of_its_chain() {
        assert_eq!(
            resolved(&[("b", "a"), ("c", "b"), ("d", "c"), ("y", "x"), ("e", "b")]),
            [("b", "a"), ("c", "a"), ("d", "a"), ("e", "a"), ("y", "x")]
        );
        // A post replying to itself is its own root.
        assert_eq!(
            resolved(&[("s", "s"), ("t", "s")]),
            [("s", "s"), ("t", "s")]
        );
    }

    #[test]
    fn a_chain_of_a_hundred_thousand_replies_takes_steps_in_proportion() {
        // Walking up from every post took 100,000 × 10,000 steps and cut the chain at 10,000.
        let n = 100_000u32;
        let mut map: HashMap<u32, u32> = (1..n).map(|k| (k, k - 1)).collect();
        let steps = resolve_roots(&mut map);
        assert!(steps <= 3 * n as usize, "{steps} steps for {n} posts");
        assert!(map.values().all(|root| *root == 0));
        assert_eq!(map.len(), n as usize - 1);
    }

    #[test]
    fn a_loop_gives_every_post_on_it_and_leading_into_it_one_root() {
        // 9 → 5 → 3 → 9, with 7 → 5 and 8 → 7 leading in, 1 → 2 elsewhere.
        let pairs = [
            ("9", "5"),
            ("5", "3"),
            ("3", "9"),
            ("7", "5"),
            ("8", "7"),
            ("1", "2"),
        ];
        let want = [
            ("1", "2"),
            ("3", "3"),
            ("5", "3"),
            ("7", "3"),
            ("8", "3"),
            ("9", "3"),
        ];
        // The same answer whatever order the posts are met in.
        for rotation in 0..pairs.len() {
            let mut order = pairs.to_vec();
            order.rotate_left(rotation);
            assert_eq!(resolved(&order), want, "rotation {rotation}");
            order.reverse();
            assert_eq!(resolved(&order), want, "reversed rotation {rotation}");
        }
    }

    #[test]
    fn a_long_loop_takes_steps_in_proportion() {
        let n = 100_000u32;
        let mut map: HashMap<u32, u32> = (0..n).map(|k| (k, (k + 1) % n)).collect();
        let steps = resolve_roots(&mut map);
        assert!(steps <= 3 * n as usize, "{steps} steps for {n} posts");
        assert!(map.values().all(|root| *root == 0));
    }
}
