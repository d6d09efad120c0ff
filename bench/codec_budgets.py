#!/usr/bin/env python3
"""Issue 10's codec budgets from several runs of restschema_bench.

Each run is the JSON output of

    restschema_bench --benchmark_filter='^(parse|decode|encode|serialize)' \
        --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
        --benchmark_out=runN.json --benchmark_out_format=json

This prints, as Markdown, every benchmark's median CPU time per run and the
median of the runs, then each budget's ratio per run (both sides taken from
the same run) and the median of those ratios.

    python3 bench/codec_budgets.py run1.json run2.json run3.json
"""
import json
import statistics
import sys

ROWS = [
    ("1. decode one user", [
        ("decode_user_restschema", "`try_parse<safeshepherd::user>` (direct, no DOM)"),
        ("decode_user_restschema_dom", "`boost::json::parse` + `try_from_json` (restschema's DOM path)"),
        ("parse_only_boost_json", "`boost::json::parse` alone (DOM only)"),
        ("decode_user_boost_json_value_to", "`boost::json::parse` + `value_to<plain::user>`"),
        ("decode_user_nlohmann_by_hand", "`nlohmann::json::parse` + hand-written extraction"),
        ("parse_only_null_handler", "`basic_parser` with a handler that does nothing (tokenizer only)"),
    ]),
    ("2. encode one user", [
        ("encode_user_restschema_direct", "`restschema::serialize(user)` (direct)"),
        ("encode_user_restschema", "`boost::json::serialize(restschema::to_json(user))` (DOM path)"),
        ("encode_user_boost_json_value_from", "`boost::json::serialize(boost::json::value_from(plain))`"),
        ("serialize_only_boost_json", "`boost::json::serialize` of a DOM already built"),
    ]),
    ("3. decode 10,000 users", [
        ("decode_10k_users_restschema", "`try_parse<std::vector<safeshepherd::user>>`"),
        ("parse_only_10k_users_boost_json", "`boost::json::parse` alone (DOM only)"),
        ("decode_10k_users_boost_json_value_to", "`boost::json::parse` + `value_to<std::vector<plain::user>>`"),
        ("decode_10k_users_nlohmann_by_hand", "`nlohmann::json::parse` + hand-written extraction"),
        ("parse_only_10k_users_null_handler", "`basic_parser` with a handler that does nothing"),
    ]),
]

BUDGETS = [
    ("decode: direct <= 1.0x DOM-only parse", "decode_user_restschema", "parse_only_boost_json", 1.0),
    ("decode: direct <= 0.5x parse + value_to", "decode_user_restschema", "decode_user_boost_json_value_to", 0.5),
    ("encode: serialize <= 0.5x serialize(value_from)", "encode_user_restschema_direct",
     "encode_user_boost_json_value_from", 0.5),
]

SCALE = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}  # to microseconds


def load(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        out[name] = {
            "us": b["cpu_time"] * SCALE[b["time_unit"]],
            "mbs": b.get("bytes_per_second", 0.0) / 1e6,
        }
    return out


def fmt_time(us):
    return f"{us / 1000:.1f} ms" if us >= 1000 else f"{us:.2f} µs"


def main(paths):
    runs = [load(p) for p in paths]
    for title, rows in ROWS:
        large = title.startswith("3.")
        print(f"\n{title}\n")
        print("| benchmark | what | CPU time, median of runs [each run] |" + (" MB/s |" if large else ""))
        print("|---|---|---|" + ("---:|" if large else ""))
        for name, what in rows:
            times = [r[name]["us"] for r in runs if name in r]
            if not times:
                continue
            each = ", ".join(fmt_time(t) for t in times)
            line = f"| `{name}` | {what} | {fmt_time(statistics.median(times))} [{each}] |"
            if large:
                line += f" {statistics.median(r[name]['mbs'] for r in runs if name in r):.0f} |"
            print(line)
    print("\nBudgets (ratio of CPU times within each run; median of the runs [each run]):\n")
    print("| budget | ratio | |")
    print("|---|---|---|")
    for title, a, b, limit in BUDGETS:
        ratios = [r[a]["us"] / r[b]["us"] for r in runs if a in r and b in r]
        med = statistics.median(ratios)
        each = ", ".join(f"{x:.2f}x" for x in ratios)
        verdict = ("met" if med <= limit else
                   f"**not met**: {med / limit - 1:.0%} over, needs {1 - limit / med:.0%} less time")
        print(f"| {title} | {med:.2f}x [{each}] | {verdict} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
