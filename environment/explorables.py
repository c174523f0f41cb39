"""Drives the explorable figures of a drawn page the way a reader does, in headless Chromium:
for every figure with a slider (Plotly `layout.sliders`, made by Plots.explore), clicks each
slider's last step and then its first, and checks that the slider moved and the drawn picture (the
SVG path data and heat-map images of the figure) differs between the two; then presses the figure's
play button and checks that the animation advances the slider and changes the picture, pauses it,
and puts the slider back on its first step (frame 0, what a PDF printed afterwards shows).

    from explorables import check_explorables
    checked, problems = check_explorables(tab)    # tab: a chromium.Tab whose page has drawn
"""
import json
import time

# Helpers installed in the page: a signature of what a figure draws, and the viewport position of
# a slider step or a menu button (scrolled into view first).
HELPERS_JS = r"""
window.__latentviExplore = {
  plots: () => [...document.querySelectorAll('div.latentvi-plot')],
  explorables: () => __latentviExplore.plots().map((gd, i) => [i, ((gd.layout || {}).sliders || []).length])
      .filter(p => p[1] > 0),
  signature: i => {
    const gd = __latentviExplore.plots()[i];
    const drawn = [...gd.querySelectorAll('.cartesianlayer path, .cartesianlayer image, .barlayer path')]
      .map(e => e.getAttribute('d') || e.getAttribute('href') || e.getAttribute('xlink:href') || '').join('|');
    let h = 2166136261;
    for (let k = 0; k < drawn.length; k++) { h ^= drawn.charCodeAt(k); h = Math.imul(h, 16777619); }
    return (h >>> 0).toString(16) + ':' + drawn.length;
  },
  active: (i, s) => __latentviExplore.plots()[i].layout.sliders[s].active,
  // the slider is on step k and the frame of that step has been drawn (no animation under way)
  shows: (i, s, k) => {
    const gd = __latentviExplore.plots()[i], slider = gd.layout.sliders[s];
    return slider.active === k && gd._fullLayout._currentFrame === slider.steps[k].args[0][0] && !gd._transitioning
      && !(gd._transitionData && gd._transitionData._frameQueue && gd._transitionData._frameQueue.length);
  },
  steps: (i, s) => __latentviExplore.plots()[i].layout.sliders[s].steps.length,
  centre: e => { const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; },
  stepPoint: (i, s, k) => {
    const gd = __latentviExplore.plots()[i];
    gd.scrollIntoView({block: 'center'});
    const group = gd.querySelectorAll('.slider-group')[s];
    const tick = group.querySelectorAll('.slider-tick-rect')[k];
    const rail = group.querySelector('.slider-rail-touch-rect');
    return [__latentviExplore.centre(tick)[0], __latentviExplore.centre(rail)[1]];
  },
  buttonPoint: (i, b) => {
    const gd = __latentviExplore.plots()[i];
    gd.scrollIntoView({block: 'center'});
    return __latentviExplore.centre(gd.querySelectorAll('.updatemenu-button')[b]);
  },
};
true
"""


def _wait(tab, expression, timeout=8.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if tab.evaluate(expression):
            return True
        time.sleep(0.05)
    return False


def _settled_signature(tab, i, different_from=None, timeout=5.0):
    """The figure's signature once drawing has settled (and, if asked, once it differs from a given one)."""
    deadline = time.time() + timeout
    last = tab.evaluate(f"__latentviExplore.signature({i})")
    while time.time() < deadline:
        time.sleep(0.15)
        now = tab.evaluate(f"__latentviExplore.signature({i})")
        if now == last and (different_from is None or now != different_from):
            return now
        last = now
    return last


def _click_step(tab, i, s, k):
    x, y = tab.evaluate(f"__latentviExplore.stepPoint({i}, {s}, {k})")
    tab.click(x, y)
    return _wait(tab, f"__latentviExplore.shows({i}, {s}, {k})")


def check_explorables(tab):
    """(number of explorable figures checked, [problem, ...]) for a page that has drawn."""
    tab.evaluate(HELPERS_JS)
    problems = []
    figures = tab.evaluate("__latentviExplore.explorables()")
    for i, sliders in figures:
        title = tab.evaluate(f"(__latentviExplore.plots()[{i}].layout.title || {{}}).text || 'figure {i}'")
        where = f"explorable {json.dumps(title[:60])}"
        start = _settled_signature(tab, i)
        first = start
        for s in range(sliders):
            last_step = tab.evaluate(f"__latentviExplore.steps({i}, {s})") - 1
            if last_step < 1:
                problems.append(f"{where}: slider {s} has a single step")
                continue
            if not _click_step(tab, i, s, last_step):
                problems.append(f"{where}: clicking slider {s}'s last step did not move it there")
                continue
            last = _settled_signature(tab, i, different_from=start)
            if not _click_step(tab, i, s, 0):
                problems.append(f"{where}: clicking slider {s}'s first step did not move it back")
                continue
            first = _settled_signature(tab, i, different_from=last)
            if first == last:
                problems.append(f"{where}: slider {s}: the drawing at the first and the last step is the same ({first})")
        # play: the animation must advance the slider and change the picture, then pause
        time.sleep(0.5)  # plotly.js re-binds the slider to the animation once the last step's transition has resolved
        x, y = tab.evaluate(f"__latentviExplore.buttonPoint({i}, 0)")
        tab.click(x, y)
        if not _wait(tab, f"__latentviExplore.active({i}, 0) > 0", timeout=10):
            problems.append(f"{where}: pressing play did not advance the slider")
        elif _settled_signature(tab, i, different_from=first, timeout=3) == first:
            problems.append(f"{where}: pressing play did not change the drawing")
        x, y = tab.evaluate(f"__latentviExplore.buttonPoint({i}, 1)")
        tab.click(x, y)
        _wait(tab, f"!__latentviExplore.plots()[{i}]._transitionData._frameQueue.length", timeout=3)
        time.sleep(0.5)
        if not _click_step(tab, i, 0, 0):
            problems.append(f"{where}: after pause, clicking the first step did not bring frame 0 back")
    return len(figures), problems
