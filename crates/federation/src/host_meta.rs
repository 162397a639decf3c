//! host-meta (RFC 6415): the XRD document that points older software at WebFinger.

use crate::LocalUrls;

/// The media type of host-meta.
pub const CONTENT_TYPE: &str = "application/xrd+xml; charset=utf-8";

/// The host-meta document of this instance.
pub fn document(urls: &LocalUrls) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n",
            "  <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n",
            "</XRD>\n"
        ),
        urls.origin()
    )
}
