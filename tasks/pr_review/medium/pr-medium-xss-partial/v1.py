"""Profile card fragment for the community pages."""


def avatar_url(user_id):
    """Path of the user's avatar image."""
    return f"/avatars/{int(user_id)}.png"


def render_card(user):
    """HTML for a user's profile card; `user` is a row dict from the accounts table."""
    user_id = int(user["id"])
    name = user["display_name"]
    return (
        f'<div class="card" data-user-id="{user_id}" title="{name}">'
        f'<img src="{avatar_url(user_id)}" alt="avatar">'
        f'<h3 class="card-name">{name}</h3>'
        "</div>"
    )
