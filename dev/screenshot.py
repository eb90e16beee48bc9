"""Screenshots of a running Odoo (`make run`) as a user sees it, with headless Chromium.

    python dev/screenshot.py --login admin --password admin --path /odoo/reorders/1 \
        --wait ".o_form_view" --out static/description/request_form.png \
        [--width 1280] [--phone]

Logs in through /web/session/authenticate, hands the session cookie to Chromium over the
DevTools protocol, opens the page, waits for the selector and saves a PNG.
"""

import argparse
import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket


def authenticate(base, db, login, password):
    response = requests.post(
        f"{base}/web/session/authenticate",
        json={"params": {"db": db, "login": login, "password": password}},
        timeout=30,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise SystemExit(f"Login failed: {response.json()['error']['data']['message']}")
    return response.cookies["session_id"]


class Chrome:
    def __init__(self, port=9339):
        self.profile = tempfile.mkdtemp(prefix="sale_reorder_shot_")
        binary = shutil.which("chromium") or shutil.which("google-chrome")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
                    pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"])
        self.ids = itertools.count(1)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="sale_reorder_demo")
    parser.add_argument("--login")
    parser.add_argument("--password")
    parser.add_argument("--path", required=True)
    parser.add_argument("--wait", default="body", help="CSS selector to wait for")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--phone", action="store_true", help="375 px wide, mobile")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument(
        "--click", action="append", default=[], help="CSS selector to click first"
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.phone:
        args.width, args.height = 375, 812

    chrome = Chrome()
    try:
        chrome.call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=args.phone,
        )
        if args.login:
            session = authenticate(args.base, args.db, args.login, args.password)
            chrome.call(
                "Network.setCookie", name="session_id", value=session, url=args.base
            )
        chrome.call("Page.enable")
        chrome.call("Page.navigate", url=args.base + args.path)
        selector = json.dumps(args.wait)
        for _attempt in range(300):
            if chrome.evaluate(
                "document.readyState === 'complete' && "
                f"!!document.querySelector({selector})"
            ):
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"{args.wait} did not appear on {args.path}")
        for selector in args.click:
            chrome.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
            time.sleep(1.5)
        time.sleep(1.5)  # let fonts, images and animations settle
        shot = chrome.call(
            "Page.captureScreenshot", format="png", captureBeyondViewport=args.full_page
        )
        with open(args.out, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
