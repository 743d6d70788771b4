#!/bin/sh
# The pipe-pane target of every session:
#   pipe-pane 'exec sh pane-log-writer.sh <file> <maxBytes> <keep>'
# Copies the pane's byte stream from stdin into <file> and rotates it by size, so a pane
# log never grows past <maxBytes> and at most <keep> rotated files stay beside it
# (<file>.1 newest … <file>.<keep> oldest): the same scheme as logd's logs.
# Plain POSIX sh + coreutils, so a live session costs a shell and one `head` (~1 MB), not
# a Node process (~40 MB) per pane. GNU `head -c N` reads at most N bytes from the pipe
# (it never reads ahead), and under `stdbuf -o0` it writes each read at once (else its
# last partial block waits in a stdio buffer and the log lags the screen). So each pass
# fills the file exactly to the cap; a pass that ends short of the cap means the pane
# closed its end: the writer is done.
file=$1
max=$2
keep=$3
case $max in ''|*[!0-9]*|0) max=10485760 ;; esac
case $keep in ''|*[!0-9]*) keep=0 ;; esac
# the empty file a rotation swaps in: hidden, so it is never taken for a rotated log
fresh="${file%/*}/.${file##*/}.fresh"

umask 077
size_of() { if [ -e "$1" ]; then wc -c < "$1"; else echo 0; fi; }

# Renames only replace (rename(2) is atomic), so the base and the oldest file never vanish
# while the writer rotates: a reader listing the files then opening one finds it.
rotate() {
  if [ "$keep" -eq 0 ]; then
    : > "$file"
    return
  fi
  i=$((keep - 1))
  while [ "$i" -ge 1 ]; do
    [ -e "$file.$i" ] && mv -f "$file.$i" "$file.$((i + 1))"
    i=$((i - 1))
  done
  ln -f "$file" "$file.1"
  : > "$fresh"
  mv -f "$fresh" "$file"
}

while :; do
  size=$(size_of "$file")
  if [ "$size" -ge "$max" ]; then
    rotate
    size=0
  fi
  stdbuf -o0 head -c $((max - size)) >> "$file" || exit 0
  [ "$(size_of "$file")" -lt "$max" ] && exit 0
done
