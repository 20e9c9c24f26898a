"""The GPU → CPU fallback rules, exercised without a GPU."""

import pytest

from invoice_ocr.engine.device import DeviceError, start_on_device


def build_recorder(fail_on_gpu: bool):
    built = []

    def build(device: str) -> str:
        built.append(device)
        if fail_on_gpu and device.startswith("gpu"):
            raise RuntimeError("CUDA error: out of memory")
        return f"engine on {device}"

    return build, built


def test_auto_uses_gpu_when_it_works():
    build, built = build_recorder(fail_on_gpu=False)
    engine, report = start_on_device("auto", lambda: None, build)
    assert (engine, built) == ("engine on gpu:0", ["gpu:0"])
    assert report.using_gpu and report.fallback_reason is None


def test_auto_falls_back_when_gpu_init_fails_and_says_why():
    build, built = build_recorder(fail_on_gpu=True)
    engine, report = start_on_device("auto", lambda: None, build)
    assert built == ["gpu:0", "cpu"]
    assert engine == "engine on cpu"
    assert not report.using_gpu and report.cuda_available
    assert "out of memory" in report.fallback_reason


def test_auto_without_cuda_goes_straight_to_cpu():
    build, built = build_recorder(fail_on_gpu=False)
    _, report = start_on_device("auto", lambda: "no CUDA: onnxruntime has no CUDAExecutionProvider", build)
    assert built == ["cpu"]
    assert report.current_device == "cpu" and not report.cuda_available
    assert report.fallback_reason.startswith("no CUDA")


def test_gpu_required_fails_clearly():
    build, _ = build_recorder(fail_on_gpu=True)
    with pytest.raises(DeviceError, match=r"OCR_DEVICE=gpu.*out of memory"):
        start_on_device("gpu", lambda: None, build)


def test_cpu_never_touches_the_gpu():
    build, built = build_recorder(fail_on_gpu=True)
    _, report = start_on_device("cpu", lambda: None, build)
    assert built == ["cpu"] and report.fallback_reason is None


def test_no_cuda_at_all_is_not_a_warning_but_a_failed_gpu_is(caplog) -> None:
    import logging

    from invoice_ocr.engine.device import start_on_device

    with caplog.at_level(logging.INFO, logger="invoice_ocr.engine.device"):
        start_on_device("auto", lambda: "no CUDA: onnxruntime has no CUDAExecutionProvider", lambda device: device)
        start_on_device("auto", lambda: "CUDA driver too old", lambda device: device)
    levels = [record.levelname for record in caplog.records if "GPU not used" in record.message]
    assert levels == ["INFO", "WARNING"]
