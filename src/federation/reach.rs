//! Which remote servers may hold a local community's content, and whose people
//! may ask to join it: its visibility applied to a server. One answer for
//! deliveries, joins and signed fetches alike.
//!
//! - `public`: every server the federation policy allows;
//! - `partners`: partner servers (the instance's list, or the community's own);
//! - `members`: servers with at least one accepted member (anyone allowed may ask
//!   to join; a moderator approves);
//! - `internal`: none.
//!
//! A server revoked from the community gets nothing, whatever its visibility.

use crate::{
    db::{self, DbConn, actors::Actor},
    error::AppError,
    federation::policy::Policy,
    model::{domain::DomainPattern, visibility::CommunityVisibility},
};

pub struct Reach {
    visibility: CommunityVisibility,
    policy: Policy,
    partners: Vec<DomainPattern>,
    member_domains: Vec<String>,
    revoked: Vec<String>,
}

impl Reach {
    /// Reads what the answer needs for `community` (a local one).
    pub fn load(conn: &mut DbConn, policy: &Policy, community: &Actor) -> Result<Self, AppError> {
        let visibility = community
            .visibility
            .parse::<CommunityVisibility>()
            .unwrap_or(CommunityVisibility::Internal);
        let (partners, member_domains, revoked) = match visibility {
            CommunityVisibility::Internal => (vec![], vec![], vec![]),
            _ => (
                db::communities::partner_patterns(conn, community.id)?
                    .iter()
                    .filter_map(|p| DomainPattern::parse(p).ok())
                    .collect(),
                db::communities::member_domains(conn, community.id)?,
                db::communities::blocked_domains(conn, community.id)?,
            ),
        };
        Ok(Self {
            visibility,
            policy: policy.clone(),
            partners,
            member_domains,
            revoked,
        })
    }

    fn allowed(&self, authority: &str) -> bool {
        self.policy.allows_authority(authority) && !self.revoked.iter().any(|r| r == authority)
    }

    fn partner(&self, authority: &str) -> bool {
        self.policy.is_partner(authority) || self.partners.iter().any(|p| p.matches(authority))
    }

    /// Whether the server at `authority` may receive or fetch the community's content.
    pub fn may_receive(&self, authority: &str) -> bool {
        self.allowed(authority)
            && match self.visibility {
                CommunityVisibility::Public => true,
                CommunityVisibility::Partners => self.partner(authority),
                CommunityVisibility::Members => self.member_domains.iter().any(|d| d == authority),
                CommunityVisibility::Internal => false,
            }
    }

    /// Whether people of the server at `authority` may ask to join (a `members`
    /// community then still needs a moderator's approval). 404 where the community
    /// does not exist for that server, 403 where it exists but is closed to it.
    pub fn may_join(&self, authority: &str) -> Result<(), AppError> {
        match self.visibility {
            CommunityVisibility::Internal => Err(AppError::not_found()),
            _ if !self.allowed(authority) => Err(AppError::forbidden(
                "this server may not join the community",
            )),
            CommunityVisibility::Partners if !self.partner(authority) => Err(AppError::forbidden(
                "the community is open to partner servers only",
            )),
            _ => Ok(()),
        }
    }

    /// Whether the server has no accepted member yet: approving its first member
    /// lets its administrators read everything the community publishes.
    pub fn is_new_server(&self, authority: &str) -> bool {
        !self.member_domains.iter().any(|d| d == authority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FederationConfig, FederationMode};

    fn reach(visibility: CommunityVisibility, members: &[&str]) -> Reach {
        let policy = Policy::from_config(&FederationConfig {
            mode: FederationMode::Open,
            blocklist: vec!["blocked.example".into()],
            partners: vec!["*.acme.example".into()],
            ..FederationConfig::default()
        });
        Reach {
            visibility,
            policy,
            partners: vec![DomainPattern::parse("supplier.example").expect("pattern")],
            member_domains: members.iter().map(|s| s.to_string()).collect(),
            revoked: vec!["revoked.example".into()],
        }
    }

    #[test]
    fn each_visibility_reaches_its_servers() {
        use CommunityVisibility::*;
        let servers = [
            "shop.acme.example",
            "supplier.example",
            "member.example",
            "stranger.example",
            "blocked.example",
            "revoked.example",
        ];
        let expect = |v, members: &[&str], yes: &[&str]| {
            let r = reach(v, members);
            for s in servers {
                assert_eq!(r.may_receive(s), yes.contains(&s), "{v:?} → {s}");
            }
        };
        expect(
            Public,
            &[],
            &[
                "shop.acme.example",
                "supplier.example",
                "member.example",
                "stranger.example",
            ],
        );
        expect(Partners, &[], &["shop.acme.example", "supplier.example"]);
        expect(
            Members,
            &["member.example", "revoked.example"],
            &["member.example"],
        );
        expect(Internal, &["member.example"], &[]);
    }

    #[test]
    fn joins() {
        use CommunityVisibility::*;
        let status = |v, s| reach(v, &[]).may_join(s).err().map(|e| e.status.as_u16());
        assert_eq!(status(Public, "stranger.example"), None);
        assert_eq!(status(Partners, "shop.acme.example"), None);
        assert_eq!(status(Partners, "stranger.example"), Some(403));
        assert_eq!(
            status(Members, "stranger.example"),
            None,
            "asks; approved later"
        );
        assert_eq!(status(Internal, "shop.acme.example"), Some(404));
        assert_eq!(status(Public, "revoked.example"), Some(403));
        assert_eq!(status(Public, "blocked.example"), Some(403));
        assert!(reach(Members, &["member.example"]).is_new_server("stranger.example"));
        assert!(!reach(Members, &["member.example"]).is_new_server("member.example"));
    }
}
