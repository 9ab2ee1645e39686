from assistant.pii import Masker, id_card_valid, is_loopback_url, luhn_valid


def test_check_digits():
    assert id_card_valid("11010519491231002X")
    assert not id_card_valid("110105194912310021")
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


def test_mask_and_restore_round_trip():
    m = Masker(names=["张伟", "欧阳娜娜"])
    text = "张伟（身份证11010519491231002X，手机+86 13812345678，卡号4111111111111111）和欧阳娜娜"
    masked = m.mask(text)
    for secret in ("张伟", "11010519491231002X", "13812345678", "4111111111111111", "欧阳娜娜"):
        assert secret not in masked
    assert m.restore(masked) == text


def test_fund_codes_amounts_and_invalid_cards_are_left_alone():
    m = Masker(names=[])
    text = "基金110011，金额500000元，日期20261130，卡4111111111111112"
    assert m.mask(text) == text


def test_id_shaped_number_with_a_wrong_check_digit_is_still_masked():
    # Issue 13 probe: a mistyped ID number (bad check digit) went to the LLM in clear.
    m = Masker(names=[])
    assert "110105194912310021" not in m.mask("号码110105194912310021")


def test_same_value_same_token_and_restore_in_args():
    m = Masker(names=["张伟"])
    assert m.mask("张伟") == m.mask("客户张伟").removeprefix("客户")
    assert m.restore_obj({"client": ["«NAME_1»"]}) == {"client": ["张伟"]}


def test_loopback_detection():
    assert is_loopback_url("http://127.0.0.1:8001/v1")
    assert is_loopback_url("http://localhost/v1")
    assert not is_loopback_url("https://api.deepseek.com/v1")
