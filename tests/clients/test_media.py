"""Media: a picture uploaded with Mastodon.py, described, and attached to a post."""

import struct
import zlib

import pytest
import requests
from mastodon import MastodonAPIError

from clients import eventually, ids


def png(width: int, height: int) -> bytes:
    """A real PNG image: a gradient of `width` x `height` RGB pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 128)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.mark.needs("media_upload")
def test_a_picture_attached_to_a_post(alpha, login):
    author = login(alpha.create_user("photographer"))
    picture = png(32, 24)
    uploaded = author.media_post(
        picture, mime_type="image/png", description="The new library, from the door"
    )
    assert uploaded.type == "image"
    assert uploaded.description == "The new library, from the door"
    # A 202 leaves `url` null until processing ends; ask again until it is there.
    media = eventually(
        lambda: (m := author.media(uploaded.id)).url and m, "the upload to be processed"
    )
    assert media.preview_url

    posted = author.status_post("Our library reopened today", media_ids=[uploaded.id])
    assert [str(m.id) for m in posted.media_attachments] == [str(uploaded.id)]
    attachment = posted.media_attachments[0]
    assert attachment.type == "image"
    assert attachment.description == "The new library, from the door"
    assert attachment.meta.original.width == 32
    assert attachment.meta.original.height == 24

    served = requests.get(attachment.url, timeout=30)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/")
    assert len(served.content) > 0
    reader = login(alpha.create_user("reader"))
    assert [str(m.id) for m in reader.status(posted.id).media_attachments] == [str(uploaded.id)]


@pytest.mark.needs("media_upload")
def test_only_media_keeps_posts_with_pictures(alpha, login):
    author = login(alpha.create_user("photographer"))
    uploaded = author.media_post(png(8, 8), mime_type="image/png", description="A test card")
    eventually(lambda: author.media(uploaded.id).url, "the upload to be processed")
    with_picture = author.status_post("With a picture", media_ids=[uploaded.id])
    without = author.status_post("Without one")
    shown = ids(author.timeline_public(local=True, only_media=True, limit=40))
    assert str(with_picture.id) in shown
    assert str(without.id) not in shown


@pytest.mark.needs("media_upload")
def test_an_unknown_media_id_is_422_and_posts_nothing(alpha, login):
    author = login(alpha.create_user("photographer"))
    before = ids(author.timeline_public(local=True))
    with pytest.raises(MastodonAPIError) as raised:
        author.status_post("Where did my picture go?", media_ids=["1"])
    assert raised.value.args[1] == 422
    assert ids(author.timeline_public(local=True)) == before


def test_mastodon_py_sets_and_removes_an_avatar(alpha, beta, login):
    user = alpha.create_user("pictured")
    client = login(user)
    default = client.me().avatar
    changed = client.account_update_credentials(
        avatar=png(120, 80), avatar_mime_type="image/png", display_name="Pictured"
    )
    assert changed.display_name == "Pictured"
    assert changed.avatar != default
    served = requests.get(changed.avatar, timeout=30)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/")

    # Another instance shows it.
    reader = login(beta.create_user("reader"))
    [found] = reader.search_v2(f"@{user.handle}", resolve=True, result_type="accounts").accounts
    assert found.avatar == changed.avatar

    assert client.account_delete_avatar().avatar == default
