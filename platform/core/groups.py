"""Channel-layer group names, built in one place so that senders and listeners agree."""


def user_group(user_id: int) -> str:
    return f"user.{user_id}"
