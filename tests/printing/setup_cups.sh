#!/usr/bin/env bash
# Test print system for the printing tests (CI runs it as root from `make test`):
# CUPS on this machine only (no browsing, no network printers), two queues that
# write PDF files with cups-pdf:
#   intake-test-pdf     a PDF printer without margins (cups-pdf's own PPD)
#   intake-test-office  set up like an office laser: A4 with hardware margins
#                       (ImageableArea 18 36 577 806 pt, i.e. 6.35 mm / 12.7 mm) and duplex
# Idempotent. Any failure only means the CUPS tests skip (they say why).
set -u
[ "$(id -u)" = 0 ] || { echo "setup_cups: not root, skipped"; exit 0; }
export DEBIAN_FRONTEND=noninteractive
need=""
for cmd in cupsd lp lpadmin lpstat ipptool; do command -v "$cmd" >/dev/null 2>&1 || need=1; done
[ -e /usr/lib/cups/backend/cups-pdf ] || need=1
if [ -n "$need" ]; then
  pkgs="cups cups-pdf cups-client cups-bsd cups-ipp-utils"
  apt-get install -y -q --no-install-recommends $pkgs >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $pkgs >/dev/null 2>&1; } \
    || { echo "setup_cups: could not install CUPS"; exit 0; }
fi
conf=/etc/cups/cupsd.conf
if [ -f "$conf" ]; then
  sed -i -e 's/^Browsing .*/Browsing No/' -e 's/^BrowseLocalProtocols .*/BrowseLocalProtocols none/' "$conf"
  grep -q '^Browsing' "$conf" || echo 'Browsing No' >> "$conf"
fi
pdfconf=/etc/cups/cups-pdf.conf
if [ -f "$pdfconf" ]; then
  sed -i -e 's|^Out .*|Out /var/spool/cups-pdf/${USER}|' "$pdfconf"
  grep -q '^Out ' "$pdfconf" || echo 'Out /var/spool/cups-pdf/${USER}' >> "$pdfconf"
fi
if ! lpstat -r 2>/dev/null | grep -q 'is running'; then
  mkdir -p /run/cups
  cupsd || { echo "setup_cups: cupsd did not start"; exit 0; }
  for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -q 'is running' && break; sleep 0.2; done
fi
ppd_dir=$(ls -d /usr/share/ppd/cups-pdf 2>/dev/null || true)
base="$ppd_dir/CUPS-PDF_opt.ppd"
[ -f "$base" ] || base=$(ls /usr/share/ppd/cups-pdf/*.ppd 2>/dev/null | head -1)
[ -f "$base" ] || { echo "setup_cups: no cups-pdf PPD"; exit 0; }
lpstat -v intake-test-pdf >/dev/null 2>&1 \
  || lpadmin -p intake-test-pdf -E -v cups-pdf:/ -P "$base" -o PageSize=A4 2>/dev/null
if ! lpstat -v intake-test-office >/dev/null 2>&1; then
  office=$(mktemp /tmp/intake-office-XXXXXX.ppd)
  sed -e 's|^\*ImageableArea A4/A4: .*|*ImageableArea A4/A4: "18 36 577 806"|' \
      -e 's|^\*ModelName: .*|*ModelName: "Office Laser (test queue)"|' \
      -e 's|^\*NickName: .*|*NickName: "Office Laser (test queue)"|' \
      -e 's|^\*ShortNickName: .*|*ShortNickName: "Office Laser (test queue)"|' "$base" > "$office"
  cat >> "$office" <<'PPD'
*OpenUI *Duplex/Double-Sided Printing: PickOne
*OrderDependency: 20 AnySetup *Duplex
*DefaultDuplex: None
*Duplex None/Off: "<</Duplex false>>setpagedevice"
*Duplex DuplexNoTumble/Long Edge: "<</Duplex true/Tumble false>>setpagedevice"
*Duplex DuplexTumble/Short Edge: "<</Duplex true/Tumble true>>setpagedevice"
*CloseUI: *Duplex
PPD
  lpadmin -p intake-test-office -E -v cups-pdf:/ -P "$office" -o PageSize=A4 2>/dev/null
  rm -f "$office"
fi
lpstat -v 2>/dev/null | grep intake-test || echo "setup_cups: queues missing"
exit 0
