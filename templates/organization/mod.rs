//! `Client::follow_organization`: an organization's own events and those of every project in
//! it, in one stream (see [`OrgFollow`](crate::OrgFollow) for the rules). The logic lives in the
//! runtime; this file only wires it to the crate's operations (`listOrgEvents`,
//! `listGroupEvents`, `getOrgGroups`), and is part of a crate that has all three.

use futures_util::TryStreamExt as _;

use crate::models::{GroupEvent, GroupEventPage, OrgEvent, OrgEventPage};
use crate::runtime::{JsonPage, ProjectInfo};
use crate::{OrgFollow, OrgItem, WithJson};

/// The follow of an organization and its projects, each event with its JSON exactly as Atlas
/// sent it; made by [`Client::follow_organization`](crate::Client::follow_organization).
pub type OrganizationFollow = OrgFollow<JsonPage<OrgEventPage>, JsonPage<GroupEventPage>>;

/// One item of an [`OrganizationFollow`]: an event of the organization or of one of its
/// projects (with its JSON as sent), or a notice.
pub type OrganizationItem = OrgItem<WithJson<OrgEvent>, WithJson<GroupEvent>>;

/// The page size of every list the follow reads: the largest Atlas allows, since a follow's
/// cost in requests is its number of pages.
const PAGE: i64 = 500;

impl crate::Client {
    /// Follows organization `org_id`'s own events and those of every project in it, found with
    /// `getOrgGroups` when the stream starts and again periodically: each event once, each
    /// scope's oldest first, from [`OrgFollow::since`](crate::OrgFollow::since) (default: now),
    /// restartable from one [`OrgCheckpoint`](crate::OrgCheckpoint). Parameter errors (an
    /// `org_id` that is no ObjectId) are yielded by the first request.
    ///
    /// ```no_run
    /// # async fn example(client: mongodb_atlas_events::Client) {
    /// use futures_util::StreamExt as _;
    /// use mongodb_atlas_events::OrgItem;
    ///
    /// let since = time::OffsetDateTime::now_utc() - time::Duration::days(7);
    /// let mut events = client.follow_organization("5e8d7c6b5a4f3e2d1c0b9a87").since(since);
    /// while let Some(item) = events.next().await {
    ///     match item {
    ///         Ok(OrgItem::Organization(event)) => println!("{}", event.json()),
    ///         Ok(OrgItem::Project { event, .. }) => println!("{}", event.json()),
    ///         Ok(OrgItem::Notice(notice)) => eprintln!("{notice}"),
    ///         Ok(_) => {}
    ///         Err(error) => eprintln!("{error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn follow_organization(&self, org_id: impl Into<String>) -> OrganizationFollow {
        let org = org_id.into();
        let org_pager = {
            let (client, org) = (self.clone(), org.clone());
            move |min, max| {
                client
                    .list_org_events(org.clone())
                    .min_date(min)
                    .max_date(max)
                    .items_per_page(PAGE)
                    .pager_parts()
            }
        };
        let project_pager = {
            let client = self.clone();
            move |project: &str, min, max| {
                client
                    .list_group_events(project)
                    .min_date(min)
                    .max_date(max)
                    .items_per_page(PAGE)
                    .pager_parts()
            }
        };
        let discover = {
            let (client, org) = (self.clone(), org.clone());
            move || {
                let projects = client
                    .get_org_groups(org.clone())
                    .items_per_page(PAGE)
                    .stream();
                let listing = projects
                    .map_ok(|project| ProjectInfo {
                        id: project.id.unwrap_or_default(),
                        name: project.name,
                        created: project.created.map(|c| c.to_offset_date_time()),
                    })
                    .try_filter(|project| std::future::ready(!project.id.is_empty()))
                    .try_collect::<Vec<_>>();
                Box::pin(listing) as _
            }
        };
        OrgFollow::new(self.clone(), org, org_pager, project_pager, discover)
    }
}
