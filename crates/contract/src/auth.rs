//! Permission strings and token kinds (CONTRACT.md 2.6–2.8).

use std::fmt;

/// The two kinds of credential the API accepts, told apart by prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// `df_…`: a website API key, bound to exactly one website, capped at member rights.
    WebsiteKey,
    /// `dft_…`: an account access token, bound to a user, with permissions and a website list.
    AccountToken,
}

impl TokenKind {
    /// Classifies a token by its prefix; `None` for anything else. Never echoes the token.
    pub fn of(token: &str) -> Option<TokenKind> {
        // `dft_` first: both start with "df".
        if token.len() > 4 && token.starts_with("dft_") {
            Some(TokenKind::AccountToken)
        } else if token.len() > 3 && token.starts_with("df_") {
            Some(TokenKind::WebsiteKey)
        } else {
            None
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::WebsiteKey => "df_",
            TokenKind::AccountToken => "dft_",
        }
    }

    /// The masked form the API shows in lists, e.g. `df_ab12...xyz9`.
    pub fn display_key(secret: &str) -> String {
        let kind = TokenKind::of(secret);
        let prefix_len = kind.map_or(0, |k| k.prefix().len());
        let chars: Vec<char> = secret.chars().collect();
        let head_len = (prefix_len + 4).min(chars.len());
        let tail_start = chars.len().saturating_sub(4).max(head_len);
        let head: String = chars.iter().take(head_len).collect();
        let tail: String = chars.iter().skip(tail_start).collect();
        format!("{head}...{tail}")
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenKind::WebsiteKey => "website key (df_)",
            TokenKind::AccountToken => "account token (dft_)",
        })
    }
}

macro_rules! permissions {
    ($($variant:ident => $name:literal,)*) => {
        /// A permission string an account token can hold (CONTRACT.md 2.7).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission { $($variant,)* }

        impl Permission {
            /// Every permission, the wildcard `*` included, in the documented order.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name,)* }
            }

            pub fn parse(s: &str) -> Option<Permission> {
                match s { $($name => Some(Permission::$variant),)* _ => None }
            }
        }
    };
}

permissions! {
    AnalyticsRead => "analytics:read",
    GoalsRead => "goals:read",
    GoalsWrite => "goals:write",
    PaymentsRead => "payments:read",
    PaymentsWrite => "payments:write",
    IdentifyWrite => "identify:write",
    WebsitesRead => "websites:read",
    WebsitesWrite => "websites:write",
    SettingsRead => "settings:read",
    SettingsWrite => "settings:write",
    FunnelsRead => "funnels:read",
    FunnelsWrite => "funnels:write",
    AlertsRead => "alerts:read",
    AlertsWrite => "alerts:write",
    TeamRead => "team:read",
    TeamWrite => "team:write",
    ApiKeysRead => "api-keys:read",
    ApiKeysWrite => "api-keys:write",
    All => "*",
}

impl Permission {
    /// Whether holding `self` grants `required` (`*` grants everything).
    pub fn grants(self, required: Permission) -> bool {
        self == Permission::All || self == required
    }

    /// Write permissions need at least the member role on the website (CONTRACT.md 2.8).
    pub fn is_write(self) -> bool {
        self.as_str().ends_with(":write") || self == Permission::All
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_kind_by_prefix() {
        assert_eq!(TokenKind::of("df_abc"), Some(TokenKind::WebsiteKey));
        assert_eq!(TokenKind::of("dft_abc"), Some(TokenKind::AccountToken));
        assert_eq!(TokenKind::of("df_"), None);
        assert_eq!(TokenKind::of("dft_"), None);
        assert_eq!(TokenKind::of("sk_live_abc"), None);
        assert_eq!(TokenKind::of("DF_abc"), None);
        assert_eq!(TokenKind::of(""), None);
    }

    #[test]
    fn display_key_masks_the_middle() {
        assert_eq!(TokenKind::display_key("df_ab12cdefghxyz9"), "df_ab12...xyz9");
        assert_eq!(TokenKind::display_key("dft_ab1cdefghijxyz9"), "dft_ab1c...xyz9");
        // Short secrets never show more than they have.
        assert_eq!(TokenKind::display_key("df_ab"), "df_ab...");
    }

    #[test]
    fn permission_strings_round_trip() {
        assert_eq!(Permission::ALL.len(), 19);
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
        }
        assert_eq!(Permission::parse("analytics:write"), None);
        assert!(Permission::All.grants(Permission::TeamWrite));
        assert!(!Permission::GoalsRead.grants(Permission::GoalsWrite));
        assert!(Permission::GoalsWrite.is_write() && !Permission::GoalsRead.is_write());
    }
}
