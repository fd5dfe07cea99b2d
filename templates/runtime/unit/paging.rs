//! Tests of `paging.rs`, kept apart from the file `cargo xtask regen` copies, and `paginate`,
//! which the other tests use to page without generated operations.

use std::sync::Arc;

use crate::runtime::client::{Client, RequestSpec};
use crate::runtime::paging::{Paged, PagerParts, Pages, Paging, paginate_parts};

/// Streams the pages of a list operation (see the module documentation for
/// the rules). `request_for_page(n)` must build the request for `pageNum=n`
/// with `itemsPerPage` = `paging.items_per_page`. (Generated code goes through
/// [`PagerParts::pages`].)
pub(crate) fn paginate<P: Paged>(
    client: Client,
    request_for_page: impl Fn(u32) -> RequestSpec + Send + Sync + 'static,
    paging: Paging,
) -> Pages<P> {
    paginate_parts(PagerParts {
        client,
        request_for_page: Arc::new(request_for_page),
        paging,
        keep: None,
    })
}

use crate::runtime::paging::{Keys, object_id};

#[test]
fn object_ids_are_kept_as_bytes_and_other_keys_as_text() {
    assert_eq!(
        object_id("5f2a9c1e7b3d4a6e8c0b1d2f"),
        Some([
            0x5f, 0x2a, 0x9c, 0x1e, 0x7b, 0x3d, 0x4a, 0x6e, 0x8c, 0x0b, 0x1d, 0x2f
        ])
    );
    // Another spelling of the same digits is another key, as the text is another id.
    assert_eq!(object_id("5F2A9C1E7B3D4A6E8C0B1D2F"), None);
    assert_eq!(object_id("5f2a9c1e7b3d4a6e8c0b1d2"), None);
    assert_eq!(object_id("5f2a9c1e7b3d4a6e8c0b1d2g"), None);
    let mut keys = Keys::default();
    assert!(keys.insert("5f2a9c1e7b3d4a6e8c0b1d2f"));
    assert!(!keys.insert("5f2a9c1e7b3d4a6e8c0b1d2f"));
    assert!(keys.insert("5F2A9C1E7B3D4A6E8C0B1D2F"));
    assert!(!keys.insert("5F2A9C1E7B3D4A6E8C0B1D2F"));
    assert!(keys.insert("evt-1"));
    assert_eq!((keys.object_ids.len(), keys.other.len()), (1, 2));
}
