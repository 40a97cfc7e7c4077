"""Generic clean-up rules: page chrome removed before readability, boilerplate blocks after it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from newsterm.extract.blocks import Block
from newsterm.text import dates
from newsterm.text.sanitize import one_line

# Elements that never hold article text. Dropped wherever they are, unless one of them wraps
# the article (some CMSs put the whole page in a <form> or a <header>), see _wraps_article.
DROPPED_TAGS = frozenset(
    {
        "aside",
        "audio",
        "button",
        "canvas",
        "dialog",
        "embed",
        "footer",
        "form",
        "iframe",
        "input",
        "link",
        "map",
        "menu",
        "meta",
        "nav",
        "noscript",
        "object",
        "option",
        "script",
        "select",
        "source",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
        "track",
        "video",
    }
)
# Dropped outright, never checked for wrapping: they cannot contain a page.
_LEAF_TAGS = frozenset(
    {"script", "style", "svg", "template", "noscript", "canvas", "iframe", "link", "meta"}
)
# Void elements an HTML4 parser may wrongly give children to.
_VOID_MEDIA_TAGS = frozenset({"source", "track"})
# Rows and cells of a data table are named after their data ("player-2020-580").
_TABLE_PARTS = frozenset({"tr", "td", "th", "tbody", "thead", "tfoot", "col", "colgroup"})
DROPPED_ROLES = frozenset(
    {
        "alert",
        "alertdialog",
        "banner",
        "complementary",
        "contentinfo",
        "dialog",
        "menu",
        "menubar",
        "navigation",
        "search",
        "tablist",
        "toolbar",
        "tooltip",
    }
)

# Class/id words of page chrome, in three tiers by how sure the word is. A word matches at
# the start of a class or id token or after "-", "_" or ":"; stems with \w* may run on
# ("share" matches "sharebar"), and a digit may follow ("ad-300").
#
# Always chrome, even when it is most of the page's text (a long comment thread):
_ALWAYS_STEMS = (
    r"comments?|commenting|disqus\w*|cookie\w*|consent\w*|gdpr|newsletter\w*"
    r"|related\w*|addthis|outbrain\w*|taboola\w*|zergnet"
    r"|vjs|video[-_]?js|jwplayer|jw[-_]player|mejs|plyr|read[-_]?also|readalso"
    r"|editsection\w*|edit[-_]section\w*|edit[-_]?link\w*|jump[-_]?link\w*|skip[-_]?to\w*"
)
# Chrome unless it holds the article (see _wraps_article):
_CHROME_STEMS = (
    r"ad|ads|adv|advert\w*|adslot|adunit|ad[-_]?container|ad[-_]?slot|ad[-_]?unit|dfp|gpt"
    r"|banner\w*|sponsor\w*|promo\w*|recirc\w*|follow\w*"
    r"|subscri\w*|signup|sign[-_]up|paywall\w*|regwall|donat\w*|membership"
    r"|recommend\w*|read[-_]?more|readmore|see[-_]?also"
    r"|more[-_]?(?:stories|news|articles|from)|most[-_]?(?:read|popular|viewed|shared)"
    r"|popular\w*|trending\w*|top[-_]?stories|next[-_]?(?:article|post|story)"
    r"|respond|reactions?|breadcrumbs?|crumbs?|pagination|pager"
    r"|modal\w*|popup\w*|overlay|lightbox\w*|toast"
    r"|sidebar\w*|side[-_]?bar|rail|right[-_]?rail|widget\w*|toolbar|tools"
    r"|masthead|skip[-_]?link\w*|back[-_]?to[-_]?top|print[-_]?only"
    r"|sr[-_]?only|screen[-_]?reader\w*|visually[-_]?hidden|visuallyhidden|offscreen"
    r"|(?:video|media|audio)[-_]?player\w*|player[-_]?(?:wrap|wrapper|container|embed)"
)
# Share bars: chrome unless it holds the article (a theme may name the story's wrapper
# after its share bar) or a quoted social post.
_SHARE_STEMS = r"share\w*|sharing|social\w*"
# Small print: chrome only while short (a byline, a caption, a tag row), because themes
# also put these words on big wrappers ("article_0_headline_byline" around the story).
_SMALL_PRINT_STEMS = (
    r"byline\w*|author\w*|dateline|timestamp|caption\w*|credits?|copyright"
    r"|tagcloud|tag[-_]?cloud|tag[-_]?list|tags|keywords|topics[-_]?list"
)
_SMALL_PRINT_CHARS = 300
# A paragraph that is a date or time with at most this many other words ("Updated 19:58",
# "Published 16 May 2025") is the article's dateline, not its text.
_DATE_LINE_WORDS = 2
# Boxes beside the story's text — a fact box, an info box — hold prose of their own that
# is not the story's; like an <aside> (role "complementary"), they stay only as the page.
_BOX_STEMS = r"facts?[-_]?box\w*|info[-_]?box\w*|fakta\w*|fakten[-_]?box\w*|info[-_]?kasten"
# Hover cards ("rollover-people-block" inside "rollover-people" around a name's link).
_HOVER_STEMS = r"rollover\w*|tooltip\w*|popover\w*|hovercard\w*|tippy\w*"


def _class_pattern(stems: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|[\s_:-])(?:{stems})(?=$|[\s_:-]|\d)", re.IGNORECASE)


_ALWAYS_CHROME_CLASS = _class_pattern(_ALWAYS_STEMS)
_CHROME_CLASS = _class_pattern(_CHROME_STEMS)
_SHARE_CLASS = _class_pattern(_SHARE_STEMS)
_BOX_CLASS = _class_pattern(_BOX_STEMS)
_BOX_ROLES = frozenset({"complementary"})
# A box's own wrapper may stand between it and the story's paragraphs: look this far up.
_BOX_LEVELS_UP = 2
_SMALL_PRINT_CLASS = _class_pattern(_SMALL_PRINT_STEMS)
_HOVER_CLASS = _class_pattern(_HOVER_STEMS)
# Social posts quoted in a story (tweets, Instagram posts) are part of what it shows;
# readability would drop them for their "twitter" class, so they are renamed.
_EMBEDDED_POST_CLASS = re.compile(r"twitter|tweet|instagram|tiktok|facebook|threads", re.I)
_EMBEDDED_WRAPPER_CLASS = re.compile(
    r"twitter|tweet|instagram|tiktok|facebook|threads|social|media|embed", re.I
)
# Class words that describe a state of the page rather than what an element is:
# "has-sidebar", "with-comments", "no-ads" say nothing about the element they sit on.
_STATE_WORD = re.compile(r"^(?:has|with|no|show|hide|is|enable|disable|allow|can)[-_]", re.I)
# The same inside a word: "content-with-sidebar-wrp" is the content wrapper.
_STATE_SUFFIX = re.compile(r"(?:^|[-_])(?:has|with|without|no)[-_][\w-]*", re.I)
# "newsCaption", "imageEmbedCredit": a camel-case hump is a word boundary too.
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Words that mark a class/id as the article itself: such an element is never chrome, even
# when its class also says "has-sidebar" or "with-comments".
_CONTENT_CLASS = re.compile(
    r"(?:^|[\s_:-])(?:article[-_]*(?:body|content|text)|story[-_]*(?:body|content|text)"
    r"|entry[-_]*content|post[-_]*(?:body|content)|body[-_]*(?:text|copy)|articlebody"
    r"|main[-_]*content|content[-_]*body|news[-_]*content)(?=$|[\s_:-])",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+")
_MAIN_INSIDE = etree.XPath("boolean(.//main | .//*[@itemprop='articleBody'])")
# Text outside links that makes an element look like an article, not chrome.
_ARTICLE_PROSE_CHARS = 600
# A <p> with this much text outside links is a paragraph of prose, not a widget.
_PROSE_PARAGRAPH_CHARS = 120
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)

# Whole blocks of text that are never article text: cross-links, calls to action, media
# credits, the text video players leave in the page. Matched at the start of short blocks.
_BOILERPLATE_START = re.compile(
    r"^(?:read also|also read|read more|see also|related(?:\s+[\w']+){0,2}\s*:|more on this"
    r"|read next|recommended(?: for you)?\s*:|you (?:may|might) also like"
    r"|don'?t miss|tags?\s*:|topics?\s*:|читайте також|читайте также|также читайте"
    r"|також читайте|дивіться також|смотрите также|читайте ще|читати також|теги\s*:"
    r"|підписуйтесь|подписывайтесь|sign up (?:for|to)|subscribe (?:to|for|now)"
    r"|click here|follow (?:us|him|her|them|me)\b|share this|share on|image source"
    r"|got a (?:story|news tip|tip)\b|for more (?:stories|news|articles|updates) like this"
    # "Read also" and "more on this" in the other languages news is written in.
    r"|lesen sie (?:auch|hier|mehr)|mehr zum thema|auch interessant|das könnte sie auch"
    r"|(?:à )?lire aussi|lire également|voir aussi|lee (?:también|más)|leia (?:também|mais)"
    r"|veja também|leggi anche|czytaj (?:też|także|również)|lees ook|läs (?:också|mer)"
    r"|les også|læs også|lue myös"
    # Paywall and registration prompts.
    r"|this (?:content|article) is (?:reserved|only available|exclusive)"
    r" for (?:subscribers|members)"
    r"|(?:register|sign in|log in|subscribe)(?:\s*(?:or|/)\s*[\w ]{2,20})? to"
    r" (?:unlock|continue|keep) "
    r"|create an (?:free )?account or (?:sign|log) in|already (?:a subscriber|have an account)"
    r"|image caption|media caption|photo(?:graph)?\s*:|image\s*:|picture\s*:|foto\s*:"
    r"|фото\s*:|(?:reading time|read time|tempo de leitura|tiempo de lectura|час читання"
    r"|время чтения)\s*:|\d+\s*(?:min|minute)s?\s+read\b"
    r"|(?:additional )?(?:reporting|writing|editing) by\b"
    r"|\(?(?:photo|image|video) credit|all rights reserved|copyright\s*(?:©|\(c\)|\d{4})"
    r"|©\s*\d{4})",
    re.IGNORECASE,
)
_BOILERPLATE_START_CHARS = 250
# What video.js and similar players leave in the page: their own sentences, and their
# control labels, alone on a line (possibly with a time: "Duration 1:47").
_PLAYER_SENTENCE = re.compile(
    r"^(?:this is a modal window|beginning of dialog window|end of dialog window"
    r"|video player is loading|no compatible source was found|the media could not be loaded"
    r"|the media playback was aborted|a network error caused the media download to fail"
    r"|the media is encrypted|seek to live, currently|restore all settings to the default"
    r"|video (?:is )?(?:loading|unavailable)|(?:click|tap) (?:here )?to play"
    r"|the video will (?:auto-?play|start) (?:soon|in)|your video will (?:begin|play|start)"
    # The fallback texts of the <video> element and of player libraries, shown without
    # the script or the support they ask for.
    r"|your browser does not support (?:the |html5 )?(?:video|audio)"
    r"|to view this video,? please enable javascript"
    r"|(?:chapters|descriptions|captions|subtitles|audio track)\b[^.]{0,40}"
    r"(?:, selected|dialog|settings))",
    re.IGNORECASE,
)
_PLAYER_LABEL = re.compile(
    r"^(?:current time|duration|remaining time|stream type|loaded|progress|playback rate"
    r"|play video|picture-in-picture|text|background|window|font size|text edge style"
    r"|font family|transparency|opacity|colou?r)\b\s*:?\s*[-\d:.%x ]*(?:live)?$",
    re.IGNORECASE,
)
_CHROME_LINES = frozenset(
    {
        "advert",
        "advertising",
        "sponsored",
        "sponsored content",
        "this slideshow requires javascript",
        "javascript is disabled",
        "skip ad",
        "see more",
        "show more",
        "load more",
        "more",
        "next",
        "previous",
        "play",
        "play now",
        "play video",
        "watch now",
        "cancel",
        "pause",
        "mute",
        "unmute",
        "fullscreen",
        "non-fullscreen",
        "chapters",
        "live",
        "replay",
        "close modal dialog",
        "done",
        "reset",
        "advertisement",
        "ad",
        "share",
        "tweet",
        "email",
        "print",
        "comments",
        "loading...",
        "caption",
        "close",
    }
)
# A WordPress shortcode the theme failed to expand: "[button link=…]Send us…[/button]".
_SHORTCODE = re.compile(r"^\[[a-z_]+\b[^\]]*\].*\[/[a-z_]+\]$", re.IGNORECASE | re.DOTALL)
_NEWSLETTER_PITCH = re.compile(
    r"(?:sign up|subscribe|signup)\b.{0,80}\b(?:newsletter|daily email|inbox)"
    r"|(?:newsletter|inbox)\b.{0,80}\b(?:sign up|subscribe)",
)
# "Follow Newsbeat on Instagram, Facebook…", "…Follow him on Twitter @name."
_FOLLOW_PITCH = re.compile(
    r"\bfollow\b(?:[^.]|\.(?=\w)){0,60}\b(?:on|at)\s+(?:twitter|facebook|instagram|youtube|telegram"
    r"|tiktok|linkedin|x\b)"
)
# "Like this story? Share it with a friend!", "Share this article with your friends".
_SHARE_PITCH = re.compile(
    r"\bshare (?:it|this(?: story| article| post)?) with (?:a friend|your friends|friends)\b"
)
# A photo credit line: "Natalie Naccache | Bloomberg | Getty Images", "(Image: GETTY)".
_MEDIA_CREDIT = re.compile(
    r"getty images|shutterstock|\bap photo\b|\(image: |\(photo: |afp via getty|reuters/|/ reuters",
    re.IGNORECASE,
)
# "Get our app for Android and iOS": the two stores named in one short block.
_APP_PITCH = re.compile(
    r"\b(?:android|ios|iphone|app store|google play)\b.{0,60}"
    r"\b(?:ios|android|iphone|app store|google play)\b"
)
# What an embedded post or video shows until the reader consents to a third party.
_CONSENT_PLACEHOLDER = re.compile(
    r"(?:einwilligung|consent|zustimmung|consentement|consentimiento|consenso|toestemming)"
    r".{0,160}(?:eingebettet|embedded|externe|external|third[- ]part|drittanbieter|tiers|terceros)"
    r"|(?:eingebettet|embedded|externe[rn]? inhalt|external content|third[- ]party content)"
    r".{0,160}(?:einwilligung|consent|zustimmung|consentement|consentimiento)"
)
# A caption ending in its photo credit: "… the match. IMAGO/Nico Herbertz", "(Foto: dpa)".
_CAPTION_CREDIT = re.compile(
    r"(?:\b(?:IMAGO|imago images|dpa|picture[- ]alliance|AFP|AP|EPA|Reuters|Getty Images"
    r"|Anadolu|Xinhua|ANP|NTB|TT|Ritzau|Keystone|APA|Belga)\b\s*/\s*[\w .'-]{2,40}"
    r"|\((?:foto|photo|bild|image|imagen|picture)\s*:\s*[^)]{2,60}\))\s*$"
)
# Headings of a section of links to other stories.
_LINKS_SECTION_HEADING = re.compile(
    r"^(?:more (?:from|on|in|stories|news|articles)\b|related(?: (?:stories|articles|content|"
    r"coverage|news|reading|posts))?$|recommended|you (?:may|might) also|most (?:read|popular"
    r"|viewed|shared)|popular|trending|read (?:more|next)|also on|top stories|latest news"
    r"|weitere (?:artikel|nachrichten|themen)|mehr (?:zum thema|aus|von)|meistgelesen"
    r"|à lire aussi|sur le même sujet|les plus lus|más noticias|lo más leído|leia também"
    r"|читайте також|читайте также|більше новин|популярне)"
)
_TEASER_CHARS = 300
# A leaked template or translation key ("client/title.list_title"): lower-case words joined
# by "/", "." or "_" with no spaces, at least one separator of two kinds.
_TEMPLATE_KEY = re.compile(r"^[a-z][a-z0-9]*(?:[_./][a-z0-9]+)+$")


_CODE_TAGS = frozenset({"pre", "code"})
# How highlighters and documentation generators name a code block's wrapper.
_CODE_WRAPPER_CLASS = re.compile(r"code|highlight|syntax|snippet|prism|hljs|listing", re.I)


def prune_page(root: HtmlElement, extra_drops: Iterable[HtmlElement] = ()) -> None:
    """Remove page chrome from a parsed page in place, before readability sees it.

    Drops tags that never hold article text (nav, aside, footer, forms, players…), hidden
    elements, landmark roles of chrome, elements whose class or id names chrome (share,
    related, newsletter, ads, cookie banners, video players, "read also" blocks…), and any
    element the site's rules name. An element that wraps the article is kept even when it
    matches: see `_wraps_article`.
    """
    body = root.find("body")
    if body is None:
        body = root
    body_chars = _text_chars(body)
    for element in list(extra_drops):
        if element.getparent() is not None:
            element.drop_tree()
    # Each element with whether it sits in code: there, class names are a highlighter's
    # ("hljs-comment" is code), while hidden parts and tags such as <button> still go.
    stack: list[tuple[HtmlElement, bool]] = [(body, False)]
    while stack:
        element, in_code = stack.pop()
        _unwrap_void_media(element)
        children = list(element)
        for child in reversed(children):
            tag = child.tag
            if not isinstance(tag, str):
                child.drop_tree()
                continue
            if _is_chrome(child, tag, body_chars, in_code=in_code):
                child.drop_tree()
                continue
            if _EMBEDDED_WRAPPER_CLASS.search(child.get("class", "")) and (
                tag == "blockquote" or _holds_embedded_post(child)
            ):
                # readability drops "twitter…" classes and weighs "social-media" down.
                child.set("class", "embedded-post")
            stack.append((child, in_code or tag in _CODE_TAGS))


def _unwrap_void_media(element: HtmlElement) -> None:
    """Lift out what the parser nested inside an element's <source>/<track> children.

    libxml2 does not know these are empty elements and nests what follows them (a lazy
    <picture>'s <img>, or more) inside them; dropping them would drop that content.
    """
    while True:
        nested = [child for child in element if child.tag in _VOID_MEDIA_TAGS and len(child)]
        if not nested:
            return
        for child in nested:
            child.drop_tag()


def _is_chrome(element: HtmlElement, tag: str, body_chars: int, *, in_code: bool) -> bool:
    if tag == "aside":
        return not _holds_page(element, body_chars)
    if tag in DROPPED_TAGS:
        return tag in _LEAF_TAGS or not _wraps_article(element, body_chars)
    attributes = element.attrib
    if tag == "header":
        return not _wraps_article(element, body_chars)
    if not attributes:
        return False
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    style = attributes.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    role = attributes.get("role")
    if role and role.strip().lower() in _BOX_ROLES:
        return not _holds_page(element, body_chars)
    if role and role.strip().lower() in DROPPED_ROLES:
        return not _wraps_article(element, body_chars)
    if tag in _TABLE_PARTS or in_code:
        return False
    names = f"{attributes.get('class', '')} {attributes.get('id', '')}"
    if len(names) < 3 or len(names) > 1000:
        return False
    names = _CAMEL_HUMP.sub("-", names)
    names = " ".join(
        _STATE_SUFFIX.sub("", word) for word in names.split() if not _STATE_WORD.match(word)
    )
    if _CONTENT_CLASS.search(names):
        return False
    if _ALWAYS_CHROME_CLASS.search(names):
        return not _contains_main(element) and not _holds_embedded_post(element)
    if _HOVER_CLASS.search(names):
        # A hover card sits inside the name it explains: drop the card, keep the name.
        return not any(
            _HOVER_CLASS.search(f"{inner.get('class', '')} {inner.get('id', '')}")
            for inner in element.iterdescendants()
        )
    if _BOX_CLASS.search(names):
        return not _holds_page(element, body_chars)
    if _SHARE_CLASS.search(names):
        return not _holds_embedded_post(element) and not _wraps_article(element, body_chars)
    if _CHROME_CLASS.search(names):
        # A paragraph is text whatever its class says: sites mark each paragraph behind
        # a paywall "paywall", and its words are the story's.
        if tag == "p" and _prose_chars(element) >= _PROSE_PARAGRAPH_CHARS:
            return False
        # A code block's wrapper ("code-toolbar" around a highlighted <pre>) is the code.
        if _wraps_code(element):
            return False
        return not _wraps_article(element, body_chars)
    if _SMALL_PRINT_CLASS.search(names):
        return _text_chars(element) < _SMALL_PRINT_CHARS
    return False


def _wraps_code(element: HtmlElement) -> bool:
    """Whether an element is a code block's wrapper: its class names code, and most of its
    text is in the <pre> blocks inside it."""
    if not _CODE_WRAPPER_CLASS.search(element.get("class", "")):
        return False
    blocks = list(element.iter("pre"))
    if not blocks:
        return False
    code_chars = sum(_text_chars(block) for block in blocks)
    return code_chars * 2 >= _text_chars(element) > 0


def _holds_embedded_post(element: HtmlElement) -> bool:
    return any(
        _EMBEDDED_POST_CLASS.search(quote.get("class", "")) for quote in element.iter("blockquote")
    )


def _contains_main(element: HtmlElement) -> bool:
    return bool(_MAIN_INSIDE(element))


def _wraps_article(element: HtmlElement, body_chars: int) -> bool:
    """Whether an element that looks like chrome holds the page's article, so must stay.

    True when it contains <main> or an `articleBody`, holds more than half the page's
    text, or holds prose (text outside links) of an article's length. This is what
    keeps an ASP.NET page (all in one <form>), a theme that calls its main wrapper
    "main-white and-w-sidebar" or "pg-rail-tall__body", or a "paywall" div from losing
    the story: chrome is links and snippets, seldom paragraphs of prose.
    """
    if _contains_main(element):
        return True
    text_chars = _text_chars(element)
    if text_chars * 2 > body_chars:
        return True
    return text_chars >= _ARTICLE_PROSE_CHARS and _prose_chars(element) >= _ARTICLE_PROSE_CHARS


def _holds_page(element: HtmlElement, body_chars: int) -> bool:
    """Whether a box (an <aside>, a fact box) is the page itself: it contains <main> or
    an `articleBody`, or more than half the page's text with no paragraph of prose beside
    it. A box of prose beside the story's paragraphs is not the story, however long its
    prose (a fact box of five paragraphs under a short story)."""
    if _contains_main(element):
        return True
    return _text_chars(element) * 2 > body_chars and not _beside_prose(element)


def _beside_prose(element: HtmlElement) -> bool:
    """Whether a paragraph of prose sits next to the element or next to its parent."""
    inner = element
    for _ in range(_BOX_LEVELS_UP):
        outer = inner.getparent()
        if outer is None:
            return False
        for sibling in outer:
            if sibling is not inner and sibling.tag == "p":
                if _prose_chars(sibling) >= _PROSE_PARAGRAPH_CHARS:
                    return True
        inner = outer
    return False


def _prose_chars(element: HtmlElement) -> int:
    """Characters of text that is not link text (paragraphs, whatever their tag)."""
    links = sum(_text_chars(link) for link in element.iterdescendants("a"))
    return _text_chars(element) - links


def _text_chars(element: HtmlElement) -> int:
    """Roughly the characters of text, not counting the markup's indentation."""
    text = element.text_content()
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t")


def is_boilerplate_text(text: str) -> bool:
    """Whether a block of text is a cross-link, call to action, credit or player chrome."""
    if len(text) > 400:
        return False
    lowered = text.lower()
    if lowered.strip(" .:!") in _CHROME_LINES or _PLAYER_LABEL.match(lowered):
        return True
    if len(text) < 200 and _PLAYER_SENTENCE.match(lowered):
        return True
    if len(text) < _BOILERPLATE_START_CHARS and _BOILERPLATE_START.match(lowered):
        return True
    if _SHORTCODE.match(text):
        return True
    if len(text) < 300 and _NEWSLETTER_PITCH.search(lowered):
        return True
    if len(text) < 120 and _MEDIA_CREDIT.search(text):
        return True
    if len(text) < 300 and _FOLLOW_PITCH.search(lowered):
        return True
    if len(text) < 120 and _SHARE_PITCH.search(lowered):
        return True
    if _CONSENT_PLACEHOLDER.search(lowered):
        return True
    if len(text) < 300 and _APP_PITCH.search(lowered):
        return True
    if len(text) < 250 and _CAPTION_CREDIT.search(text):
        return True
    return bool(_TEMPLATE_KEY.match(text)) and ("/" in text or "_" in text)


def text_of(element: HtmlElement) -> str:
    """An element's text on one line."""
    return one_line(element.text_content())


def clean_blocks(blocks: list[Block], title: str, byline: str | None = None) -> list[Block]:
    """Drop the blocks of readability's result that are not article text.

    Removed: the headline, byline and date line repeated in the body, cross-links and calls
    to action ("Read also:", "Читайте також:", "Subscribe…"), player chrome, leaked keys,
    short paragraphs and lists that are mostly links (related-story lists, tag rows),
    a block repeated right after itself, and headings left with nothing after them.
    """
    title_key = _block_key(title)
    byline_key = _block_key(byline or "")
    previous = ""
    kept: list[Block] = []
    for block in blocks:
        key = _block_key(block.text)
        # Only a block repeated right after itself is dropped: recipes and schedules repeat
        # lines on purpose, and pull quotes are already gone with their <aside>/class.
        if not key or key == previous:
            continue
        if key == title_key and block.kind in ("heading", "paragraph"):
            continue
        if byline_key and key in (byline_key, f"by {byline_key}"):
            continue
        if is_boilerplate_text(block.text):
            continue
        if block.kind == "paragraph" and dates.is_date_line(block.text, _DATE_LINE_WORDS):
            continue
        if _mostly_links(block):
            continue
        previous = key
        kept.append(block)
    kept = _without_link_sections(kept)
    while kept and kept[-1].kind == "heading":
        kept.pop()
    return kept


def _without_link_sections(blocks: list[Block]) -> list[Block]:
    """Drop a "More from…"/"Related" heading and the teasers under it.

    The teasers are short blocks (a headline, a one-line dek) up to the next heading; a
    section of long paragraphs under such a heading is kept, being text.
    """
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "heading" and _LINKS_SECTION_HEADING.match(block.text.lower()):
            end = index + 1
            while end < len(blocks) and blocks[end].kind != "heading":
                end += 1
            section = blocks[index + 1 : end]
            if all(len(item.text) < _TEASER_CHARS for item in section):
                index = end
                continue
        kept.append(block)
        index += 1
    return kept


def _mostly_links(block: Block) -> bool:
    if block.kind == "list":
        return block.link_density > 0.7
    if block.kind == "heading":
        return block.link_density > 0.5
    # A sentence may link most of its words ("was convicted and [sentenced to life…]");
    # a cross-link is a link and little else.
    return block.link_density > 0.8 and len(block.text) < 300


def _block_key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))
