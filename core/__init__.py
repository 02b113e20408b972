"""The bottom layer every app may import: the domain error base, customers' phone numbers,
the cache rate limiter and the current language. It imports no app of ours."""
