//! Tags typed in logfmt, as Jaeger UI's search form takes them:
//! `error=true http.status_code=500 db.statement="SELECT * FROM t"`. A key without `=` means
//! `key=true`; quoted values may hold spaces, `\"` and `\\`.
//!
//! Hand-written: the grammar is a dozen lines, and the crates for it are unmaintained.

/// Parses logfmt text into (key, value) pairs in written order; a later pair with the same key
/// replaces the earlier one. The error names what is wrong and where (1-based character).
pub fn parse_logfmt(text: &str) -> Result<Vec<(String, String)>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if chars[at].is_whitespace() {
            at += 1;
            continue;
        }
        let key_start = at;
        while at < chars.len() && !chars[at].is_whitespace() && chars[at] != '=' {
            if chars[at] == '"' {
                return Err(format!("a quote at character {} is inside a key; quote only values", at + 1));
            }
            at += 1;
        }
        let key: String = chars[key_start..at].iter().collect();
        if key.is_empty() {
            return Err(format!("a value at character {} has no key (write key=value)", at + 1));
        }
        let value = if at < chars.len() && chars[at] == '=' {
            at += 1;
            if at < chars.len() && chars[at] == '"' {
                let quote_at = at;
                at += 1;
                let mut value = String::new();
                loop {
                    match chars.get(at) {
                        None => {
                            return Err(format!(
                                "the quote opened at character {} for \"{key}\" is not closed",
                                quote_at + 1
                            ))
                        }
                        Some('"') => {
                            at += 1;
                            break;
                        }
                        Some('\\') if matches!(chars.get(at + 1), Some('"' | '\\')) => {
                            value.push(chars[at + 1]);
                            at += 2;
                        }
                        Some(&c) => {
                            value.push(c);
                            at += 1;
                        }
                    }
                }
                value
            } else {
                let value_start = at;
                while at < chars.len() && !chars[at].is_whitespace() {
                    at += 1;
                }
                chars[value_start..at].iter().collect()
            }
        } else {
            "true".to_owned()
        };
        match pairs.iter_mut().find(|(known, _)| *known == key) {
            Some(pair) => pair.1 = value,
            None => pairs.push((key, value)),
        }
    }
    Ok(pairs)
}

/// Writes pairs back as logfmt, quoting values that need it.
pub fn format_logfmt(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| {
            if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c == '"' || c == '\\' || c == '=') {
                let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
                format!("{key}=\"{escaped}\"")
            } else {
                format!("{key}={value}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn reads_what_jaeger_ui_users_type() {
        let parsed = parse_logfmt(r#"error=true http.status_code=500 db.statement="SELECT 1" flag"#).unwrap();
        assert_eq!(
            parsed,
            pairs(&[("error", "true"), ("http.status_code", "500"), ("db.statement", "SELECT 1"), ("flag", "true")])
        );
        assert_eq!(parse_logfmt(r#"msg="say \"hi\" \\ bye""#).unwrap(), pairs(&[("msg", r#"say "hi" \ bye"#)]));
        assert_eq!(parse_logfmt("  ").unwrap(), Vec::new());
        assert_eq!(parse_logfmt("a=1 a=2").unwrap(), pairs(&[("a", "2")]));
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        let error = parse_logfmt(r#"error=true sql="SELECT 1"#).unwrap_err();
        assert!(error.contains("character 16") && error.contains("sql"), "{error}");
        assert!(parse_logfmt("=5").unwrap_err().contains("no key"));
    }

    #[test]
    fn round_trips() {
        let list = pairs(&[("a", "x y"), ("b", ""), ("c", r#"q"uote"#), ("d", "plain")]);
        assert_eq!(parse_logfmt(&format_logfmt(&list)).unwrap(), list);
    }
}
