"""The one exception tree of sanctionwatch.

    SanctionWatchError
    ├── ConfigError            a setting or option has a bad value
    ├── InputError             an input file or record cannot be read (path, line)
    ├── FetchError             a URL could not be fetched (url)
    │   ├── BlockedURLError    the SSRF guard refused the URL or a redirect hop
    │   ├── FetchLimitError    deadline, body cap, redirect limit, downgrade
    │   ├── HTTPStatusError    the server answered with an error status (status, retry_after)
    │   └── FeedError          the body is not a feed we can read
    ├── PipelineError
    │   ├── ContractError      a pipeline's stages do not fit together (stage)
    │   └── StageError         a stage failed on an article (stage, article_id)
    ├── StoreError             the database cannot be opened or written (url)
    ├── EngineError            an extraction engine cannot start or reach its workers (engine)
    ├── NotFound               no such incident, article or feed (kind, key)
    ├── InvalidQuery           a filter or parameter is out of range (parameter)
    └── AccessError            team mode: who may do what
        ├── NotAuthenticated   no valid session or API token
        ├── PermissionDenied   the account's role or the token's scopes do not allow it (scope)
        └── TooManyAttempts    sign-in refused for a while after failures (retry_after_seconds)

The API maps NotFound → 404, InvalidQuery → 400, InputError → 422, StoreError → 503,
NotAuthenticated → 401, PermissionDenied → 403, TooManyAttempts → 429;
the CLI prints ``error: <message>`` and exits 1 (2 for usage errors).
"""

from __future__ import annotations


class SanctionWatchError(Exception):
    """Base class of every error sanctionwatch raises on purpose."""


class ConfigError(SanctionWatchError):
    pass


class InputError(SanctionWatchError):
    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)


class FetchError(SanctionWatchError):
    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        super().__init__(message)


class BlockedURLError(FetchError):
    pass


class FetchLimitError(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(
        self, message: str, *, url: str | None = None, status: int = 0, retry_after_seconds: float | None = None
    ) -> None:
        self.status = status
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, url=url)


class FeedError(FetchError):
    pass


class PipelineError(SanctionWatchError):
    pass


class ContractError(PipelineError):
    def __init__(self, message: str, *, stage: str | None = None) -> None:
        self.stage = stage
        super().__init__(message)


class StageError(PipelineError):
    def __init__(self, message: str, *, stage: str, article_id: str | None = None) -> None:
        self.stage = stage
        self.article_id = article_id
        super().__init__(f"stage {stage!r} failed on article {article_id!r}: {message}")


class StoreError(SanctionWatchError):
    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        super().__init__(message)


class EngineError(SanctionWatchError):
    def __init__(self, message: str, *, engine: str) -> None:
        self.engine = engine
        super().__init__(message)


class NotFound(SanctionWatchError):
    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {key!r}")


class InvalidQuery(SanctionWatchError):
    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        self.parameter = parameter
        super().__init__(message)


class AccessError(SanctionWatchError):
    pass


class NotAuthenticated(AccessError):
    pass


class PermissionDenied(AccessError):
    def __init__(self, message: str, *, scope: str | None = None) -> None:
        self.scope = scope
        super().__init__(message)


class TooManyAttempts(AccessError):
    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message)
