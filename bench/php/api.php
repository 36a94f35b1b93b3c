<?php
// The measuring stick: the message board API of the app tier in minimal PHP, as the design's
// "Nginx + PHP-FPM" servers would run it. Same schema, same JSON shape, same limits; reads on the
// replica, writes on the primary. Not part of the platform: bench/stack-vs-classic.sh only.
declare(strict_types=1);
mysqli_report(MYSQLI_REPORT_OFF);
header('Content-Type: application/json');
header('X-Served-By: ' . getenv('SERVER_NAME_TAG'));

function fail(int $status, string $error, string $message, ?string $field = null): never {
    http_response_code($status);
    $body = ['error' => $error, 'message' => $message];
    if ($field !== null) { $body['field'] = $field; }
    echo json_encode($body);
    exit;
}

function db(string $node): mysqli {
    // p: keeps one connection per PHP-FPM worker and node, like the app tier's pools.
    $db = @new mysqli('p:127.0.0.1', 'foobar_app', trim(file_get_contents(getenv('DB_PASSWORD_FILE'))), 'foobar',
        (int) getenv($node === 'primary' ? 'DB_PRIMARY_PORT' : 'DB_REPLICA_PORT'));
    if ($db->connect_errno) { header('Retry-After: 2'); fail(503, 'database_unavailable', $db->connect_error); }
    $db->set_charset('utf8mb4');
    return $db;
}

function iso(string $time): string { // '2024-05-06 07:08:09.120' -> '2024-05-06T07:08:09.120Z', like Java's ISO_INSTANT
    [$seconds, $millis] = array_pad(explode('.', $time), 2, '000');
    $millis = rtrim($millis, '0');
    return str_replace(' ', 'T', $seconds) . ($millis === '' ? '' : '.' . str_pad($millis, 3, '0')) . 'Z';
}

function post(array $row): array {
    return ['id' => (int) $row['id'], 'author' => $row['author'], 'title' => $row['title'], 'body' => $row['body'],
        'createdAt' => iso($row['created_at']), 'updatedAt' => iso($row['updated_at'])];
}

const COLUMNS = 'id, author, title, body, created_at, updated_at';

function byId(mysqli $db, int $id): ?array {
    $statement = $db->prepare('SELECT ' . COLUMNS . ' FROM posts WHERE id = ?');
    $statement->bind_param('i', $id);
    $statement->execute();
    $row = $statement->get_result()->fetch_assoc();
    return $row ? post($row) : null;
}

function listPosts(): void {
    $limit = filter_var($_GET['limit'] ?? '20', FILTER_VALIDATE_INT, ['options' => ['min_range' => 1, 'max_range' => 100]]);
    if ($limit === false) { fail(400, 'validation_failed', 'limit must be 1-100', 'limit'); }
    $before = isset($_GET['before']) ? filter_var($_GET['before'], FILTER_VALIDATE_INT) : null;
    if ($before === false) { fail(400, 'validation_failed', 'before must be a post id', 'before'); }
    $db = db('replica');
    $sql = 'SELECT ' . COLUMNS . ' FROM posts' . ($before === null ? '' : ' WHERE id < ?') . ' ORDER BY id DESC LIMIT ?';
    $statement = $db->prepare($sql);
    $fetch = $limit + 1;
    $before === null ? $statement->bind_param('i', $fetch) : $statement->bind_param('ii', $before, $fetch);
    $statement->execute();
    $posts = array_map('post', $statement->get_result()->fetch_all(MYSQLI_ASSOC));
    $next = null;
    if (count($posts) > $limit) { array_pop($posts); $next = (string) end($posts)['id']; }
    echo json_encode(['posts' => $posts, 'next' => $next]);
}

function create(): void {
    if (!str_starts_with($_SERVER['CONTENT_TYPE'] ?? '', 'application/json')) {
        fail(415, 'unsupported_media_type', 'send application/json');
    }
    $input = json_decode(file_get_contents('php://input'), true);
    if (!is_array($input)) { fail(400, 'invalid_json', 'request body is not valid JSON'); }
    $values = [];
    foreach (['author' => 64, 'title' => 200, 'body' => 10000] as $field => $max) {
        $value = $input[$field] ?? null;
        $value = is_string($value) ? ($field === 'body' ? $value : trim($value)) : null;
        $length = $value === null ? false : iconv_strlen($value, 'UTF-8'); // characters, not bytes
        if ($length === false || $length < 1 || $length > $max) {
            fail(400, 'validation_failed', "$field must be 1-$max characters", $field);
        }
        $values[] = $value;
    }
    $db = db('primary');
    $statement = $db->prepare('INSERT INTO posts (author, title, body, created_at, updated_at)'
        . ' VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))');
    $statement->bind_param('sss', ...$values);
    if (!$statement->execute()) { fail(503, 'database_unavailable', $db->error); }
    $post = byId($db, $db->insert_id);
    http_response_code(201);
    header('Location: /api/posts/' . $post['id']);
    echo json_encode($post);
}

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$method = $_SERVER['REQUEST_METHOD'];
if ($path === '/api/posts' && $method === 'GET') {
    listPosts();
} elseif ($path === '/api/posts' && $method === 'POST') {
    create();
} elseif (preg_match('#^/api/posts/(\d+)$#', $path, $match) && $method === 'GET') {
    $post = byId(db('replica'), (int) $match[1]);
    $post === null ? fail(404, 'not_found', 'no such post') : print(json_encode($post));
} else {
    fail(404, 'not_found', 'no such API resource');
}
