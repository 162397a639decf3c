//! The directory's vocabularies: kinds of trust, school phases, inspection grades,
//! regions and leader roles. Each value has a stable name (stored, sent over the
//! wire and used in filters) and a label people read.

use crate::{Error, Result};

/// Declares a closed vocabulary: each variant with its stored name and its label.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident = $stored:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The stable name, as stored and as filters and the API write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $stored,)+
                }
            }

            /// The name people read.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }

            /// The value called `name` (its stable name or its label, any case).
            pub fn parse(name: &str) -> Result<Self> {
                let name = name.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(name) || v.label().eq_ignore_ascii_case(name))
                    .ok_or_else(|| {
                        let known: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        Error::invalid($field, format!("must be one of {}", known.join(", ")))
                    })
            }

            /// The stored value read back (an unknown one, written by a newer
            /// version, reads as the last value).
            pub(crate) fn from_stored(stored: &str) -> Self {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == stored)
                    .unwrap_or(Self::ALL[Self::ALL.len() - 1])
            }
        }
    };
}

vocabulary! {
    /// What kind of body a trust is.
    TrustKind, "kind" {
        MultiAcademyTrust = "multi_academy_trust", "Multi-academy trust";
        LeadershipNetwork = "leadership_network", "Leadership network or charity";
        ProfessionalAssociation = "professional_association", "Professional association";
        LocalAuthority = "local_authority", "Local authority";
        Other = "other", "Other";
    }
}

vocabulary! {
    /// The phase of education a school serves.
    Phase, "phase" {
        Nursery = "nursery", "Nursery";
        Primary = "primary", "Primary";
        Middle = "middle", "Middle";
        Secondary = "secondary", "Secondary";
        AllThrough = "all_through", "All-through";
        Special = "special", "Special";
        AlternativeProvision = "alternative_provision", "Alternative provision";
        Post16 = "post_16", "Post-16";
    }
}

vocabulary! {
    /// The outcome of a school's latest inspection.
    InspectionGrade, "inspection_grade" {
        Outstanding = "outstanding", "Outstanding";
        Good = "good", "Good";
        RequiresImprovement = "requires_improvement", "Requires improvement";
        Inadequate = "inadequate", "Inadequate";
        NotYetInspected = "not_yet_inspected", "Not yet inspected";
    }
}

vocabulary! {
    /// The regions of England (the government office regions).
    Region, "region" {
        NorthEast = "north_east", "North East";
        NorthWest = "north_west", "North West";
        YorkshireAndTheHumber = "yorkshire_and_the_humber", "Yorkshire and the Humber";
        EastMidlands = "east_midlands", "East Midlands";
        WestMidlands = "west_midlands", "West Midlands";
        EastOfEngland = "east_of_england", "East of England";
        London = "london", "London";
        SouthEast = "south_east", "South East";
        SouthWest = "south_west", "South West";
        Other = "other", "Other";
    }
}

vocabulary! {
    /// What a leader does.
    LeaderRole, "role" {
        Teacher = "teacher", "Teacher";
        MiddleLeader = "middle_leader", "Middle leader";
        SeniorLeader = "senior_leader", "Senior leader";
        Headteacher = "headteacher", "Headteacher";
        ExecutiveHeadteacher = "executive_headteacher", "Executive headteacher";
        TrustCeo = "trust_ceo", "Trust CEO";
        CentralTeam = "central_team", "Central team";
        Trustee = "trustee", "Trustee";
        Governor = "governor", "Governor";
        Other = "other", "Other";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_by_name_or_label_and_unknown_ones_refused() {
        assert_eq!(Phase::parse("all_through").ok(), Some(Phase::AllThrough));
        assert_eq!(Phase::parse("All-through").ok(), Some(Phase::AllThrough));
        assert_eq!(
            Region::parse("Yorkshire and the Humber").ok(),
            Some(Region::YorkshireAndTheHumber)
        );
        let Err(Error::Invalid { field, reason }) = LeaderRole::parse("wizard") else {
            panic!("an unknown role is refused");
        };
        assert_eq!(field, "role");
        assert!(reason.contains("headteacher"), "{reason}");
        for grade in InspectionGrade::ALL {
            assert_eq!(InspectionGrade::from_stored(grade.as_str()), *grade);
        }
    }
}
