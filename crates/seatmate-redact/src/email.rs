//! E-mail addresses.

use std::sync::LazyLock;

use regex::Regex;

use crate::context::{char_before, compile, matches};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
});

/// Byte ranges of e-mail addresses in normalised text.
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    matches(&EMAIL, text, |s, _| !char_before(text, s).is_some_and(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn emails() {
        assert_eq!(found("邮箱zhang.wei88@example.com，谢谢"), ["zhang.wei88@example.com"]);
        assert_eq!(found("mail ops-team+billing@mail.example.com."), ["ops-team+billing@mail.example.com"]);
        assert_eq!(found("anna_k@example.co.uk"), ["anna_k@example.co.uk"]);
        assert!(found("用户名@我的公司").is_empty());
        assert!(found("at @example.com").is_empty());
    }
}
