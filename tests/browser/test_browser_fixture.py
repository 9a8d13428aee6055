"""The session's browser comes back after Chromium dies, so one crash fails one test, not the rest."""


def test_a_dead_browser_is_launched_again(browser, site_url):
    browser._browser.close()  # as a crash of the browser process leaves it
    page = browser.new_page()
    page.goto(site_url + "/")
    assert page.title()
    page.close()
