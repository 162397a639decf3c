//! Exporting a person's data as Mastodon's CSV files at `/settings/export`, and
//! importing the lists of accounts at `/settings/import`, as a browser does: what
//! the files hold, whose data they hold, and which files an import refuses.

use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::{Browser, Page};

use crate::lists::{add, create_list, id_of};

pub(crate) const PASSWORD: &str = "correct horse battery";

/// `client` does `action` (follow, block, mute) to the local `username`.
async fn act(client: &ApiClient, action: &str, username: &str, body: serde_json::Value) {
    let id = id_of(client, username).await;
    client
        .post(&format!("/api/v1/accounts/{id}/{action}"), body)
        .await
        .expect(200);
}

/// `name`.csv of the export `browser` downloads, checking how it is sent.
pub(crate) async fn file(browser: &Browser, name: &str) -> String {
    let page = browser.get(&format!("/settings/export/{name}.csv")).await;
    assert_eq!(page.status, 200, "{name}: {}", page.body);
    assert_eq!(
        page.headers["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(
        page.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    page.body
}

/// `browser` imports `bytes` as a list of `kind` through the import form, adding
/// to what is there (`merge`) or replacing it (`overwrite`).
pub(crate) async fn import(browser: &Browser, kind: &str, mode: &str, bytes: Vec<u8>) -> Page {
    let form = browser.get("/settings/import").await;
    assert_eq!(form.status, 200);
    browser
        .post_multipart(
            "/settings/import",
            &[
                ("authenticity_token".into(), form.csrf()),
                ("type".into(), kind.into()),
                ("mode".into(), mode.into()),
            ],
            &[("file", "accounts.csv", bytes)],
        )
        .await
}

#[tokio::test]
async fn a_person_exports_their_data_and_another_imports_it() {
    let instance = TestInstance::start_for_apps().await;
    let domain = instance.domain().to_owned();
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    for name in ["carol", "dave", "eve", "frank"] {
        instance.user(name).await;
    }
    let zed = instance.user("zed").await;

    act(&alice, "follow", "bob", json!({})).await;
    act(&alice, "follow", "carol", json!({})).await;
    act(&alice, "block", "dave", json!({})).await;
    act(&alice, "mute", "eve", json!({"notifications": false})).await;
    let bob_post = bob
        .post("/api/v1/statuses", json!({"status": "Staff meeting moved"}))
        .await
        .expect(200)
        .body;
    let post_id = bob_post["id"].as_str().unwrap();
    alice
        .post(&format!("/api/v1/statuses/{post_id}/bookmark"), json!({}))
        .await
        .expect(200);
    let list = create_list(&alice, json!({"title": "Heads"})).await;
    let bob_id = id_of(&alice, "bob").await;
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    // Someone else's data, which alice's export must not hold.
    act(&zed, "follow", "dave", json!({})).await;
    act(&zed, "block", "carol", json!({})).await;
    act(&zed, "mute", "bob", json!({})).await;
    zed.post(&format!("/api/v1/statuses/{post_id}/bookmark"), json!({}))
        .await
        .expect(200);

    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = browser.get("/settings/export").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("following_accounts.csv"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<td>2</td>"), "{}", page.body);

    let following = file(&browser, "following_accounts").await;
    assert_eq!(
        following,
        format!(
            "Account address,Show boosts,Notify on new posts,Languages\n\
             bob@{domain},true,false,\ncarol@{domain},true,false,\n"
        )
    );
    assert_eq!(
        file(&browser, "blocked_accounts").await,
        format!("dave@{domain}\n")
    );
    assert_eq!(
        file(&browser, "muted_accounts").await,
        format!("Account address,Hide notifications\neve@{domain},false\n")
    );
    assert_eq!(
        file(&browser, "bookmarks").await,
        format!("{}\n", bob_post["uri"].as_str().unwrap())
    );
    assert_eq!(
        file(&browser, "lists").await,
        format!("Heads,bob@{domain}\n")
    );
    assert_eq!(
        browser.get("/settings/export/passwords.csv").await.status,
        404
    );

    // Frank brings alice's follows, with two rows that cannot be followed.
    let frank = Browser::signed_in(&instance.base, "frank", PASSWORD).await;
    let with_failures =
        format!("{following}nobody@{domain},true,false,\nfrank@{domain},true,false,\n");
    let done = import(&frank, "following", "merge", with_failures.into_bytes()).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("2 of the accounts"), "{}", done.body);
    assert!(
        done.body.contains(&format!("nobody@{domain}")),
        "{}",
        done.body
    );
    assert!(done.body.contains("your own account"), "{}", done.body);
    assert_eq!(file(&frank, "following_accounts").await, following);

    // Replacing: only bob is followed afterwards.
    let only_bob = format!("bob@{domain}\n");
    let done = import(&frank, "following", "overwrite", only_bob.into_bytes()).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("1 not in the file"), "{}", done.body);
    assert_eq!(
        file(&frank, "following_accounts").await,
        format!(
            "Account address,Show boosts,Notify on new posts,Languages\n\
             bob@{domain},true,false,\n"
        )
    );
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_and_export_needs_sign_in() {
    let instance = TestInstance::start_for_apps().await;
    let domain = instance.domain().to_owned();
    instance.user("alice").await;
    instance.user("bob").await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let wrong_header = format!("Account address,Hide notifications\nbob@{domain},true\n");
    let refused = import(&browser, "following", "merge", wrong_header.into_bytes()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("Hide notifications"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Nothing was imported"),
        "{}",
        refused.body
    );

    let not_addresses = format!("Name,Email\nBob,bob@{domain}\n");
    let refused = import(&browser, "blocks", "merge", not_addresses.into_bytes()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("not an account address"),
        "{}",
        refused.body
    );

    let mut too_many = format!("bob@{domain}\n");
    for n in 0..10_000 {
        too_many.push_str(&format!("someone{n}@{domain}\n"));
    }
    let refused = import(&browser, "mutes", "merge", too_many.into_bytes()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("more than 10000"), "{}", refused.body);

    let too_large = vec![b'a'; 2 * 1024 * 1024];
    let refused = import(&browser, "blocks", "merge", too_large).await;
    assert!(
        (400..500).contains(&refused.status),
        "{}: {}",
        refused.status,
        refused.body
    );

    assert_eq!(
        file(&browser, "following_accounts").await,
        "Account address,Show boosts,Notify on new posts,Languages\n"
    );
    assert_eq!(file(&browser, "blocked_accounts").await, "");
    assert_eq!(
        file(&browser, "muted_accounts").await,
        "Account address,Hide notifications\n"
    );

    let anonymous = Browser::new(&instance.base);
    for path in [
        "/settings/export",
        "/settings/export/following_accounts.csv",
        "/settings/import",
    ] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(
            page.location.as_deref().unwrap().contains("/auth/sign_in"),
            "{path}: {:?}",
            page.location
        );
    }
}

#[tokio::test]
async fn bookmarks_and_lists_are_imported_from_their_files() {
    let instance = TestInstance::start_for_apps().await;
    let domain = instance.domain().to_owned();
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    instance.user("carol").await;
    instance.lock("carol").await;
    let frank = instance.user("frank").await;

    act(&alice, "follow", "bob", json!({})).await;
    let public = bob.status("Timetable for next term").await;
    let private = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "Only for followers", "visibility": "private"}),
        )
        .await
        .expect(200)
        .body;
    for post in [&public, &private] {
        let id = post["id"].as_str().unwrap();
        alice
            .post(&format!("/api/v1/statuses/{id}/bookmark"), json!({}))
            .await
            .expect(200);
    }
    let list = create_list(&alice, json!({"title": "Heads"})).await;
    let bob_id = id_of(&alice, "bob").await;
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);

    let alice_browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let bookmarks = file(&alice_browser, "bookmarks").await;
    let lists = file(&alice_browser, "lists").await;
    let public_uri = public["uri"].as_str().unwrap();
    let (statuses, _) = public_uri.rsplit_once('/').unwrap();
    let missing = format!("{statuses}/1");

    // Frank does not follow bob: the public post is bookmarked, the private one
    // is not his to see, and a post that does not exist is not found.
    let frank_browser = Browser::signed_in(&instance.base, "frank", PASSWORD).await;
    let done = import(
        &frank_browser,
        "bookmarks",
        "merge",
        format!("{bookmarks}{missing}\n").into_bytes(),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("1 of the posts"), "{}", done.body);
    assert!(done.body.contains("not one you may see"), "{}", done.body);
    assert!(done.body.contains(&missing), "{}", done.body);
    let kept = frank.get("/api/v1/bookmarks").await.expect(200);
    assert_eq!(kept.ids(), [public["id"].as_str().unwrap()]);

    // Replacing bookmarks takes away those not in the file.
    let other = bob.status("Assembly at nine").await;
    let other_id = other["id"].as_str().unwrap();
    frank
        .post(&format!("/api/v1/statuses/{other_id}/bookmark"), json!({}))
        .await
        .expect(200);
    let done = import(
        &frank_browser,
        "bookmarks",
        "overwrite",
        format!("{public_uri}\n").into_bytes(),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("1 not in the file"), "{}", done.body);
    let kept = frank.get("/api/v1/bookmarks").await.expect(200);
    assert_eq!(kept.ids(), [public["id"].as_str().unwrap()]);

    // Lists: bob is followed and put in a new list "Heads"; carol must approve
    // the follow first; nobody is found for the third row.
    assert_eq!(lists, format!("Heads,bob@{domain}\n"));
    let rows = format!("{lists}Heads,carol@{domain}\nDeputies,nobody@{domain}\n");
    let done = import(&frank_browser, "lists", "merge", rows.clone().into_bytes()).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("1 of the accounts"), "{}", done.body);
    assert!(
        done.body.contains("have not accepted your follow"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains(&format!("nobody@{domain}")),
        "{}",
        done.body
    );
    let frank_lists = frank.get("/api/v1/lists").await.expect(200).items();
    assert_eq!(frank_lists.len(), 1, "{frank_lists:?}");
    assert_eq!(frank_lists[0]["title"], "Heads");
    let heads = frank_lists[0]["id"].as_str().unwrap();
    let members = frank
        .get(&format!("/api/v1/lists/{heads}/accounts"))
        .await
        .expect(200);
    assert_eq!(members.strings("acct"), ["bob"]);
    assert_eq!(
        file(&frank_browser, "following_accounts").await,
        format!(
            "Account address,Show boosts,Notify on new posts,Languages\n\
             bob@{domain},true,false,\n"
        )
    );

    // A file of lists only adds.
    let refused = import(&frank_browser, "lists", "overwrite", rows.into_bytes()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let refused = import(
        &frank_browser,
        "bookmarks",
        "merge",
        format!("bob@{domain}\n").into_bytes(),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("not the address of a post"),
        "{}",
        refused.body
    );
}

/// The entry `name` of the zip archive `bytes`, as text.
fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
    text
}

#[tokio::test]
async fn a_person_asks_for_their_archive_and_downloads_it_alone() {
    let instance = TestInstance::start_for_apps().await;
    let domain = instance.domain().to_owned();
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"fields_attributes": {"0": {"name": "School", "value": "Hillside"}}}),
        )
        .await
        .expect(200);
    act(&alice, "follow", "bob", json!({})).await;
    act(&bob, "follow", "alice", json!({})).await;
    let medium = crate::media::upload(
        &instance,
        alice.token.as_deref().unwrap(),
        crate::media::png(20, 10),
    )
    .await;
    let own = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Our new library", "media_ids": [medium["id"]]}),
        )
        .await
        .expect(200)
        .body;
    alice.status("Inset day on Friday").await;
    let bobs = bob.status("Governors' meeting").await;
    let bobs_id = bobs["id"].as_str().unwrap();
    alice
        .post(&format!("/api/v1/statuses/{bobs_id}/favourite"), json!({}))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/statuses/{bobs_id}/bookmark"), json!({}))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/statuses/{bobs_id}/reblog"), json!({}))
        .await
        .expect(200);

    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = browser.get("/settings/export").await;
    assert!(page.body.contains("Request your archive"), "{}", page.body);
    assert_eq!(
        browser.get_bytes("/settings/export/archive.zip").await.0,
        404
    );
    let asked = browser
        .post(
            "/settings/export/archive",
            &[("authenticity_token".into(), page.csrf())],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    staffroom_tests::eventually("the archive is built", || async {
        browser
            .get("/settings/export")
            .await
            .body
            .contains("Download your archive")
    })
    .await;

    // Once every seven days.
    let page = browser.get("/settings/export").await;
    let again = browser
        .post(
            "/settings/export/archive",
            &[("authenticity_token".into(), page.csrf())],
        )
        .await;
    assert_eq!(again.status, 429, "{}", again.body);
    assert!(again.body.contains("Not yet"), "{}", again.body);

    let (status, content_type, bytes) = browser.get_bytes("/settings/export/archive.zip").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();

    let actor: serde_json::Value =
        serde_json::from_str(&entry(&mut archive, "actor.json")).unwrap();
    assert_eq!(actor["preferredUsername"], "alice");
    assert!(actor.to_string().contains("Hillside"), "{actor}");
    let outbox: serde_json::Value =
        serde_json::from_str(&entry(&mut archive, "outbox.json")).unwrap();
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 3);
    let items = outbox["orderedItems"].as_array().unwrap();
    // The boost, newest, as an `Announce` of bob's post; then her own posts.
    assert_eq!(items[0]["type"], "Announce", "{outbox}");
    assert_eq!(items[0]["object"], bobs["uri"], "{outbox}");
    assert!(
        items[1..].iter().all(|item| item["type"] == "Create"),
        "{outbox}"
    );
    assert_eq!(items[2]["object"]["id"], own["uri"]);
    let likes: serde_json::Value =
        serde_json::from_str(&entry(&mut archive, "likes.json")).unwrap();
    assert_eq!(likes["orderedItems"], json!([bobs["uri"]]));
    let bookmarks: serde_json::Value =
        serde_json::from_str(&entry(&mut archive, "bookmarks.json")).unwrap();
    assert_eq!(bookmarks["orderedItems"], json!([bobs["uri"]]));
    assert_eq!(
        entry(&mut archive, "followers.csv"),
        format!("Account address\nbob@{domain}\n")
    );
    assert!(entry(&mut archive, "following_accounts.csv").contains(&format!("bob@{domain}")));
    for name in [
        "blocked_accounts.csv",
        "muted_accounts.csv",
        "blocked_domains.csv",
        "bookmarks.csv",
        "lists.csv",
    ] {
        assert!(archive.by_name(name).is_ok(), "{name}");
    }
    let uploaded: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .filter(|name| name.starts_with("media_attachments/"))
        .collect();
    // The upload and its thumbnail.
    assert_eq!(uploaded.len(), 2, "{uploaded:?}");
    let media_url = medium["url"].as_str().unwrap();
    let (_, stored_name) = media_url.rsplit_once('/').unwrap();
    let mut original = Vec::new();
    std::io::Read::read_to_end(
        &mut archive
            .by_name(&format!("media_attachments/{stored_name}"))
            .unwrap(),
        &mut original,
    )
    .unwrap();
    let served = instance.get(&format!("/media/{stored_name}")).await;
    assert_eq!(original, served.bytes().await.unwrap().to_vec());

    // Private: bob has none, and alice's is not his to fetch; nobody signed out.
    let bob_browser = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    assert_eq!(
        bob_browser
            .get_bytes("/settings/export/archive.zip")
            .await
            .0,
        404
    );
    let anonymous = Browser::new(&instance.base);
    assert_eq!(
        anonymous.get_bytes("/settings/export/archive.zip").await.0,
        303
    );

    // Deleting the account removes the archive's file.
    let data = instance.database().dir().join("data");
    assert_eq!(zip_files(&data).len(), 1, "{:?}", zip_files(&data));
    let form = browser.get("/settings/delete").await;
    let deleted = browser
        .post(
            "/settings/delete",
            &[
                ("authenticity_token".into(), form.csrf()),
                ("username".into(), "alice".into()),
                ("password".into(), PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert!(zip_files(&data).is_empty(), "{:?}", zip_files(&data));
}

/// The `.zip` files anywhere under `dir`.
fn zip_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "zip") {
                found.push(path);
            }
        }
    }
    found
}
