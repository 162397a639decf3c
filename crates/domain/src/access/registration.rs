//! Who may sign up on an instance.

use std::fmt;
use std::str::FromStr;

/// How sign-up works on this instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrationMode {
    /// Anyone may sign up and use their account at once.
    Open,
    /// Anyone may ask; an administrator approves the account before it can be used.
    #[default]
    Approval,
    /// Only someone holding a valid invite code may sign up.
    InviteOnly,
    /// Nobody may sign up; administrators create accounts.
    Closed,
}

impl RegistrationMode {
    /// Every mode, by the name configuration uses.
    pub const NAMES: [&'static str; 4] = ["open", "approval", "invite-only", "closed"];

    /// The name configuration uses for this mode.
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approval => "approval",
            Self::InviteOnly => "invite-only",
            Self::Closed => "closed",
        }
    }

    /// Whether strangers can reach the sign-up form at all.
    pub fn accepts_sign_ups(self) -> bool {
        !matches!(self, Self::Closed)
    }

    /// Whether a new account waits for an administrator's approval.
    pub fn needs_approval(self) -> bool {
        matches!(self, Self::Approval)
    }

    /// Whether a new account needs an invite code.
    pub fn needs_invite(self) -> bool {
        matches!(self, Self::InviteOnly)
    }
}

impl fmt::Display for RegistrationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RegistrationMode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(Self::Open),
            "approval" => Ok(Self::Approval),
            "invite-only" => Ok(Self::InviteOnly),
            "closed" => Ok(Self::Closed),
            _ => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_mode() {
        for name in RegistrationMode::NAMES {
            let mode: RegistrationMode = name.parse().unwrap_or_else(|()| panic!("{name}"));
            assert_eq!(mode.name(), name);
        }
        assert!("invite".parse::<RegistrationMode>().is_err());
    }
}
