#!/usr/bin/env python3
"""SigV4 oracle for tests/services/aws/tst_sigv4.cpp: botocore signs the corpus.

Reads a JSON list of requests on stdin and writes a JSON list of results, in
the same order, on stdout. Byte strings travel base64-encoded (suffix _b64) so
nothing is lost to JSON's idea of text.

Request:  {"name", "method", "host_b64", "target_b64", "headers": [[name_b64, value_b64], ...],
           "body_b64", "access_key", "secret_key", "token", "region", "service",
           "timestamp": "YYYYMMDDTHHMMSSZ"}
Result:   {"name", "canonical_request_b64", "string_to_sign_b64", "authorization_b64",
           "added_headers": [[name_b64, value_b64], ...]}   or   {"name", "error"}

botocore is driven the way it signs a real non-S3 request: an AWSRequest whose
URL is scheme://host + target, signed by SigV4Auth. The scheme is http when the
host names port 80 and https otherwise (it only decides which port botocore
drops from the host header). Header names and values, and the target, are
decoded as UTF-8: botocore only takes str, and encodes the canonical request
as UTF-8 again before hashing it.

Exit status: 0 with results, 3 when botocore cannot be imported (message on
stderr), 2 on malformed input.
"""

import base64
import datetime
import json
import sys

try:
    import botocore
    import botocore.auth
    import botocore.awsrequest
    import botocore.compat
    import botocore.credentials
except ImportError as exc:  # pragma: no cover - the test reports this
    sys.stderr.write(
        f"botocore is not importable by {sys.executable}: {exc}\n"
        "install it: apt-get install python3-botocore (or pip install botocore)\n"
    )
    sys.exit(3)


def b64d(text):
    return base64.b64decode(text.encode('ascii'))


def b64e(data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    return base64.b64encode(data).decode('ascii')


class RecordingHeaders(botocore.compat.HTTPHeaders):
    """HTTPHeaders that remember what was set while `recording` is on."""

    recording = False

    def __init__(self):
        super().__init__()
        self.assigned = []

    def __setitem__(self, name, value):
        if self.recording:
            self.assigned.append((name, value))
        super().__setitem__(name, value)

    def __delitem__(self, name):
        if self.recording:
            self.assigned = [(n, v) for n, v in self.assigned if n.lower() != name.lower()]
        super().__delitem__(name)


class RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4Auth that keeps the intermediate strings of its last add_auth."""

    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(
            request, canonical_request
        )
        return self.recorded_string_to_sign


def url_for(host, target):
    port = host.rpartition(']')[2].rpartition(':')[2] if ':' in host else ''
    scheme = 'http' if port == '80' else 'https'
    return f'{scheme}://{host}{target}'


def sign(spec):
    host = b64d(spec['host_b64']).decode('utf-8')
    target = b64d(spec['target_b64']).decode('utf-8')
    request = botocore.awsrequest.AWSRequest(
        method=spec['method'], url=url_for(host, target), data=b64d(spec['body_b64'])
    )
    # Assigning appends (HTTPMessage), so repeated names survive in order.
    request.headers = RecordingHeaders()
    for name_b64, value_b64 in spec['headers']:
        request.headers[b64d(name_b64).decode('utf-8')] = b64d(value_b64).decode('utf-8')

    credentials = botocore.credentials.Credentials(
        spec['access_key'], spec['secret_key'], spec.get('token') or None
    )
    signer = RecordingSigV4Auth(credentials, spec['service'], spec['region'])
    # add_auth stamps request.context['timestamp'] from
    # botocore.auth.get_current_datetime(), overwriting anything set before, so
    # the clock is frozen by replacing that function for the call.
    frozen = datetime.datetime.strptime(spec['timestamp'], botocore.auth.SIGV4_TIMESTAMP)
    original_now = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *args, **kwargs: frozen
    request.headers.recording = True
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original_now
        request.headers.recording = False

    added = [[b64e(name), b64e(value)] for name, value in request.headers.assigned]
    return {
        'name': spec['name'],
        'canonical_request_b64': b64e(signer.recorded_canonical_request),
        'string_to_sign_b64': b64e(signer.recorded_string_to_sign),
        'authorization_b64': b64e(request.headers['Authorization']),
        'added_headers': added,
    }


def main():
    try:
        specs = json.load(sys.stdin)
    except ValueError as exc:
        sys.stderr.write(f"input is not JSON: {exc}\n")
        return 2
    sys.stderr.write(f"botocore {botocore.__version__} at {botocore.__file__}\n")
    results = []
    for spec in specs:
        try:
            results.append(sign(spec))
        except Exception as exc:  # reported per row by the test
            results.append({'name': spec.get('name', '?'), 'error': f'{type(exc).__name__}: {exc}'})
    json.dump(results, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
