#!/usr/bin/env python3
"""Runs one SQL query through the gateway and prints its rows, with the standard library only.

Usage: GATEWAY_URL=http://localhost:8080 python3 stream.py json|ndjson|csv "SELECT ..."

- json:   one document; the standard library has no streaming JSON parser, so it is read whole
          (fine for small results).
- ndjson: streamed line by line: schema line, one JSON array per row, then {"rowCount", ...}.
- csv:    streamed; RFC 4180 rows end in CRLF, and quoted fields may hold CR, LF or commas.
          csv.reader over a text stream opened with newline='' handles all of it, also when a
          CRLF is split across two network reads (splitting the bytes on '\\n' yourself does not).
"""
import csv
import io
import json
import os
import sys
import urllib.error
import urllib.request

def post_sql(gateway, sql, accept):
    request = urllib.request.Request(
        gateway + "/v1/sql",
        data=json.dumps({"sql": sql}).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": accept},
    )
    try:
        return urllib.request.urlopen(request)
    except urllib.error.HTTPError as e:
        # Every error is application/problem+json; its type URI resolves to a page saying what to do.
        problem = json.load(e)
        sys.exit(f"{problem['status']} {problem['title']}: {problem.get('detail', '')} ({gateway}{problem['type']})")


def rows_json(response):
    document = json.load(response)
    print("schema", json.dumps(document["schema"]))
    yield from document["rows"]
    if "error" in document:  # Spark failed after the first rows: the gateway says why, then cuts the body
        sys.exit(f"failed mid-stream: {document['error']['detail']}")


def rows_ndjson(response):
    for line in response:  # the response is a binary file: iteration yields lines as they arrive
        record = json.loads(line)
        if isinstance(record, list):
            yield record
        elif "schema" in record:
            print("schema", json.dumps(record["schema"]))
        elif "error" in record:
            sys.exit(f"failed mid-stream: {record['error']['detail']}")


def rows_csv(response):
    # SQL NULL and the empty string are both '' to csv.reader (the gateway quotes the empty string).
    reader = csv.reader(io.TextIOWrapper(response, encoding="utf-8", newline=""))
    print("header", json.dumps(next(reader)))
    yield from reader


FORMATS = {"json": ("application/json", rows_json), "ndjson": ("application/x-ndjson", rows_ndjson),
           "csv": ("text/csv", rows_csv)}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in FORMATS:
        sys.exit(__doc__)
    (accept, rows), sql = FORMATS[sys.argv[1]], sys.argv[2]
    gateway = os.environ.get("GATEWAY_URL", "http://localhost:8080")
    # A body the gateway cuts off (Spark failed mid-stream) raises http.client.IncompleteRead here,
    # so a clean end means a complete result.
    with post_sql(gateway, sql, accept) as response:
        count = 0
        for row in rows(response):
            print("row", json.dumps(row))
            count += 1
    print("rows", count)


if __name__ == "__main__":
    main()
