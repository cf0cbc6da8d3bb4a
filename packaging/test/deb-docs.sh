#!/usr/bin/env bash
# The documentation in the built .deb has no dangling references:
#   packaging/test/deb-docs.sh [PACKAGE.deb]      (default: build one with packaging/build-deb.sh)
# Unpacks the package (dpkg-deb -x) into a temp directory and checks there, not in the repository:
#   - every relative markdown link of every .md file under /usr/share/doc/check-socket-backlog
#     ([text](path), [text](path#anchor), [text](#anchor)) names a file or directory of the package,
#     inside the package, and its #anchor is a heading of the target (GitHub's anchors: lower case,
#     punctuation and symbols dropped, spaces as "-", a repeated heading "-1", "-2", ...);
#   - every /usr/share/doc/check-socket-backlog/... path named in any text file of the package (the
#     man page, the command definitions, the cron example, the docs) is a file or directory of it.
# Links with a scheme (https:, mailto:) are not followed; fenced code blocks and `code spans` are not
# links. Prints one line per problem and "deb-docs: N links, N paths, N problems"; exits 1 on any.
set -euo pipefail

top=$(cd -- "$(dirname -- "$0")/../.." && pwd)
deb=${1:-}
if [ -z "$deb" ]; then
    deb=$("$top/packaging/build-deb.sh")
fi
[ -r "$deb" ] || { echo "deb-docs: cannot read $deb" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
dpkg-deb -x "$deb" "$root"
doc=usr/share/doc/check-socket-backlog
[ -d "$root/$doc" ] || { echo "deb-docs: $deb has no /$doc" >&2; exit 1; }

problems=0
problem() { problems=$((problems + 1)); echo "deb-docs: $*"; }

# links FILE: "LINE<TAB>TARGET" for each inline link or image outside code, one a line.
links() {
    awk '
        /^[ \t]*(```|~~~)/ { fenced = !fenced; next }
        fenced { next }
        {
            line = $0
            gsub(/`[^`]*`/, "", line)
            while ((at = index(line, "](")) > 0) {
                rest = substr(line, at + 2)
                end = index(rest, ")")
                if (end == 0) break
                target = substr(rest, 1, end - 1)
                sub(/^</, "", target); sub(/>$/, "", target)
                sub(/[ \t]+".*"$/, "", target)
                print NR "\t" target
                line = substr(rest, end + 1)
            }
        }' "$1"
}

# anchors FILE: the anchors of FILE's headings (ATX "#" headings outside code), one a line.
anchors() {
    awk '
        /^[ \t]*(```|~~~)/ { fenced = !fenced; next }
        fenced { next }
        /^#+[ \t]/ {
            h = $0
            if (match(h, /^#+/) && RLENGTH > 6) next
            sub(/^#+[ \t]+/, "", h); sub(/[ \t]+#+[ \t]*$/, "", h)
            # [text](url) -> text; then what GitHub drops: all but letters, digits, "_", "-" and
            # spaces (non-ASCII too: GitHub keeps non-ASCII letters, but no heading here has one).
            while (match(h, /\[[^]]*\]\([^)]*\)/)) {
                inner = substr(h, RSTART + 1, RLENGTH - 1)
                sub(/\]\(.*$/, "", inner)
                h = substr(h, 1, RSTART - 1) inner substr(h, RSTART + RLENGTH)
            }
            h = tolower(h)
            gsub(/[^a-z0-9_ -]/, "", h)
            gsub(/ /, "-", h)
            n = seen[h]++
            print (n ? h "-" n : h)
        }' "$1"
}

n_links=0
while IFS= read -r -d '' md; do
    rel=${md#"$root"/}
    dir=$(dirname -- "$md")
    while IFS=$'\t' read -r line target; do
        n_links=$((n_links + 1))
        case $target in
            [a-zA-Z]*:*) continue ;;    # https:, mailto:: not the package's
            '') problem "/$rel:$line: an empty link"; continue ;;
        esac
        path=${target%%#*}
        anchor=
        [[ $target == *#* ]] && anchor=${target#*#}
        if [ -z "$path" ]; then
            file=$md
        elif [[ $path == /* ]]; then
            problem "/$rel:$line: $target is an absolute link (it would not resolve in a clone)"
            continue
        else
            file=$(realpath -m -- "$dir/$path")
        fi
        case $file in
            "$root"/*) ;;
            *) problem "/$rel:$line: $target leads out of the package"; continue ;;
        esac
        if [ ! -e "$file" ]; then
            problem "/$rel:$line: $target: no /${file#"$root"/} in the package"
            continue
        fi
        if [ -n "$anchor" ]; then
            if [[ $file != *.md ]] || [ ! -f "$file" ]; then
                problem "/$rel:$line: $target: an anchor into something that is not a markdown file"
            elif ! anchors "$file" | grep -q -x -F -- "$anchor"; then
                problem "/$rel:$line: $target: no heading with anchor #$anchor in /${file#"$root"/}"
            fi
        fi
    done < <(links "$md")
done < <(find "$root/$doc" -name '*.md' -type f -print0 | sort -z)

# Every /usr/share/doc/check-socket-backlog/... path that an installed text names (man pages
# uncompressed, troff's "\-" read as "-").
n_paths=0
while IFS= read -r -d '' f; do
    case $f in
        *.gz) text=$(gzip -dc -- "$f") ;;
        *) grep -Iq . -- "$f" || continue; text=$(cat -- "$f") ;;
    esac
    while IFS= read -r named; do
        [ -n "$named" ] || continue
        n_paths=$((n_paths + 1))
        clean=${named%[.:]}
        [ -e "$root$clean" ] || problem "/${f#"$root"/} names $clean, which the package does not have"
    done < <(printf '%s\n' "$text" | sed 's/\\-/-/g' | grep -o "/$doc[^][[:space:]\`'\"()<>*;,]*" || true)
done < <(find "$root" -type f ! -name '*.jar' ! -name '*.so' -print0 | sort -z)

echo "deb-docs: $n_links links, $n_paths paths, $problems problems ($(basename -- "$deb"))"
[ "$problems" = 0 ]
