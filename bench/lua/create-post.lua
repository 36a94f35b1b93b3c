-- POST /api/posts with a small valid post.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"author":"bench","title":"A benchmark post","body":"Written by wrk to measure the write path of the stack."}'
