//! Finding an object key given twice in a JSON text. serde_json keeps the last copy, so
//! `{"num":1,"num":2}` would mean 2 to us and maybe 1 to whoever signed it; both dialects refuse
//! such a body instead, naming the key's path.
//!
//! A single pass over text that has already parsed as JSON: it tracks strings, the objects and
//! arrays open around the cursor, and each object's keys so far.

use std::collections::HashSet;

/// An object or array open around the cursor.
enum Open {
    /// An object: its keys so far, the last key (the path's segment), and whether the next
    /// string is a key.
    Object { keys: HashSet<String>, last: String, expect_key: bool },
    /// An array: the index of the element being read.
    Array { index: usize },
}

/// The path of the first key given twice in the object where it repeats (`[0].detail_list[1].num`),
/// or `None`. `text` must be valid JSON.
pub fn first_duplicate_key(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push(Open::Object { keys: HashSet::new(), last: String::new(), expect_key: true }),
            b'[' => stack.push(Open::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Open::Object { expect_key, .. }) => *expect_key = true,
                Some(Open::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let end = string_end(bytes, i);
                if let Some(Open::Object { keys, last, expect_key }) = stack.last_mut()
                    && *expect_key
                {
                    *expect_key = false;
                    let key: String = serde_json::from_str(&text[i..end]).unwrap_or_default();
                    if !keys.insert(key.clone()) {
                        let mut path = path_of(&stack[..stack.len() - 1]);
                        push_key(&mut path, &key);
                        return Some(path);
                    }
                    *last = key;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The byte just past the string literal starting at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The path to the innermost of `open`.
fn path_of(open: &[Open]) -> String {
    let mut path = String::new();
    for o in open {
        match o {
            Open::Object { last, .. } => push_key(&mut path, last),
            Open::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

#[cfg(test)]
mod tests {
    use super::first_duplicate_key;

    #[test]
    fn a_key_given_twice_is_found_with_its_path() {
        let cases = [
            (r#"{"refund_no":"A","refund_no":"B"}"#, Some("refund_no")),
            (r#"[{"refund_no":"A","detail_list":[{"num":1},{"num":1,"num":2}]}]"#, Some("[0].detail_list[1].num")),
            (r#"{"a":{"x":1},"b":{"x":1}}"#, None),
            (r#"{"a":"{\"k\":1,\"k\":2}"}"#, None),
            (r#"{"a\"b":1,"a\"b":2}"#, Some("a\"b")),
            (r#"{"\u006e":1,"n":2}"#, Some("n")),
            (r#"[1,"x",{"k":[1,2]},{"k":3}]"#, None),
            ("{}", None),
        ];
        for (text, want) in cases {
            assert_eq!(first_duplicate_key(text).as_deref(), want, "{text}");
        }
    }
}
