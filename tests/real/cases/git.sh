#!/usr/bin/env bash
# git.sh — a scratch repository: init, config, several commits with fixed
# dates, log, diff, branch/merge, gc, fsck. Runs in the current directory.
set -eu
export GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@example.org
export GIT_COMMITTER_NAME="Bob Committer" GIT_COMMITTER_EMAIL=bob@example.org

git init -q -b main repo
cd repo
git config user.name "Ada Tester"
git config user.email ada@example.org
git config core.autocrlf false
git config gc.auto 0

commit() { # commit N MESSAGE
	local day
	day=$(printf %02d "$1")
	export GIT_AUTHOR_DATE="2024-01-${day}T12:00:00Z" GIT_COMMITTER_DATE="2024-01-${day}T12:30:00Z"
	git commit -q -m "$2"
}

mkdir -p src doc
for i in $(seq 1 40); do
	seq 1 $((i * 5)) | sed "s/.*/line & of file $i/" >src/f$i.txt
done
printf '# heapscope real-program test\n\nSome text.\n' >doc/README.md
git add .
commit 1 "initial import"

for i in $(seq 1 40 | awk 'NR % 3 == 0'); do
	sed -i 's/line 2 /line two /' src/f$i.txt
done
printf 'More text.\n' >>doc/README.md
git add -A
commit 2 "edit every third file"

git checkout -q -b topic
git rm -q src/f7.txt
git mv src/f8.txt src/eight.txt
printf 'new file\n%.0s' $(seq 1 100) >src/new.txt
git add -A
commit 3 "topic: remove, rename, add"

git checkout -q main
printf 'main change\n' >>src/f1.txt
git commit -q -a -m "main: touch f1" --date=2024-01-04T08:00:00Z
GIT_COMMITTER_DATE=2024-01-05T00:00:00Z GIT_AUTHOR_DATE=2024-01-05T00:00:00Z \
	git merge -q --no-ff -m "merge topic" topic
GIT_COMMITTER_DATE=2024-01-05T00:00:00Z git tag -a -m "version one" v1 HEAD

echo "--- log"
git log --format='%H %an <%ae> %ad %cn %cd %s' --date=iso-strict --topo-order
echo "--- log --stat"
git log --stat --format='%h %s' -n 3
echo "--- diff"
git diff HEAD~2 HEAD -- src/f3.txt src/f1.txt
git diff --stat HEAD~3 HEAD
echo "--- show"
git show --format='%T %P' -s HEAD
git cat-file -p "HEAD^{tree}" | head -5
echo "--- gc"
git gc -q --aggressive
git count-objects -v | grep -v size
git fsck --full --strict 2>&1
git rev-list --all --objects | wc -l
git verify-pack -v .git/objects/pack/*.idx | tail -3
echo "--- blame/grep"
git blame -s src/f3.txt | head -4
git grep -c 'line two' | head -5
echo "--- archive"
git archive --format=tar HEAD | tar tf - | sort | head -5
git describe --tags
