from django.apps import AppConfig


class FollowConfig(AppConfig):
    name = "follow"
    verbose_name = "Followers, digests and correction reports"

    def ready(self):
        from follow import receivers  # noqa: F401  (digests after matrix rebuilds)
