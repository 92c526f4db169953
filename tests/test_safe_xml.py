"""scoring/excel/safe_xml.py: the C parser only where no DTD can declare an entity; defusedxml's refusals otherwise."""

import pytest
from defusedxml import EntitiesForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring
from hypothesis import given, strategies as st
from xml.etree.ElementTree import ParseError, tostring

from scoring.excel.safe_xml import parse

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<sst><si><t>&lol2;</t></si></sst>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"""


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, b"\xef\xbb\xbf" + LAUGHS,
                                  LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
                                  # UTF-16 without a byte-order mark begins with b"<" too, but "<!DOCTYPE" is
                                  # not in its bytes: it once went to the C parser, which expanded the entities
                                  LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16-le"),
                                  LAUGHS.decode().replace('<?xml version="1.0"?>', '').encode("utf-16-le")])
def test_entities_are_refused_whatever_the_encoding(data):
    with pytest.raises(EntitiesForbidden):
        parse(data)


def test_an_undeclared_entity_is_an_error_not_text():
    with pytest.raises(ParseError):
        parse(b"<x>&lol;</x>")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_plain_parts_parse_as_defusedxml_parses_them(text):
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    data = f'<?xml version="1.0" encoding="UTF-8"?><c r="A1" t="inlineStr"><is><t>{escaped}</t></is></c>'.encode()
    assert tostring(parse(data)) == tostring(defused_fromstring(data))
