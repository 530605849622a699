"""PyTorch CPU peer of the brainstate4j benchmark: one workload, one memory format, one process.

The same networks as org.brainstate4j.models (SimpleCNN, SimpleUNet, and their ScaledWSConv2d +
GroupNorm variants with BrainState's formulas), float32, Adam, softmax cross-entropy, 2 threads.
A training step is forward + backward + Adam update on one batch; inference is a forward pass
under torch.no_grad(). Prints one line 'RESULT {json}' with medians and the peak resident memory
(ru_maxrss) of this process. Run by tools/bench/run_peer_benchmark.py; by hand:

    .venv-bench/bin/python tools/bench/torch_peer.py --workload cnn-ws --format channels_last
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

WORKLOADS = {  # name: (weight standardized, batch, (H, W, C), classes, U-Net width or 0 for the CNN)
    'cnn': (False, 64, (32, 32, 3), 10, 0),
    'cnn-ws': (True, 64, (32, 32, 3), 10, 0),
    'unet16': (False, 16, (64, 64, 3), 6, 16),
    'unet16-ws': (True, 16, (64, 64, 3), 6, 16),
    'unet64': (False, 4, (128, 128, 3), 2, 64),
}


class ScaledWSConv2d(nn.Conv2d):
    """BrainState's ScaledWSConv2d: w_hat = gain * (w - mean) * rsqrt(max(var * fan_in, eps))."""

    def __init__(self, *args, eps=1e-4, **kwargs):
        super().__init__(*args, **kwargs)
        self.gain = nn.Parameter(torch.ones(self.out_channels, 1, 1, 1))
        self.eps = eps

    def forward(self, x):
        w = self.weight
        fan_in = w[0].numel()
        mean = w.mean(dim=(1, 2, 3), keepdim=True)
        var = w.var(dim=(1, 2, 3), keepdim=True, unbiased=False)
        w_hat = (w - mean) * torch.rsqrt(torch.clamp(var * fan_in, min=self.eps)) * self.gain
        return F.conv2d(x, w_hat, self.bias, self.stride, self.padding, self.dilation, self.groups)


def conv(ws, cin, cout, k, stride=1):
    # SAME for these sizes: k 3 -> padding 1 (stride 1 and 2 on even sizes: TF-style SAME pads
    # (0, 1) for stride 2, PyTorch pads (1, 1): same cost, not the same numbers; only speed is compared)
    cls = ScaledWSConv2d if ws else nn.Conv2d
    return cls(cin, cout, k, stride=stride, padding=k // 2, bias=False)


class SimpleCNN(nn.Module):
    def __init__(self, ws, hw, cin, classes):
        super().__init__()
        widths = (32, 64, 128)
        chans = (cin,) + widths
        self.convs = nn.ModuleList(conv(ws, chans[i], chans[i + 1], 3) for i in range(3))
        self.norms = nn.ModuleList(nn.GroupNorm(8, c, eps=1e-6) for c in widths) if ws else None
        self.fc = nn.Linear((hw // 8) * (hw // 8) * 128, classes)

    def forward(self, x):
        for i, c in enumerate(self.convs):
            x = c(x)
            if self.norms is not None:
                x = self.norms[i](x)
            x = F.max_pool2d(F.relu(x), 2)
        return self.fc(torch.flatten(x, 1))


class SimpleUNet(nn.Module):
    def __init__(self, ws, cin, classes, w):
        super().__init__()
        self.ws = ws
        self.enc1 = conv(ws, cin, w, 3)
        self.enc2 = conv(ws, w, 2 * w, 3, 2)
        self.enc3 = conv(ws, 2 * w, 4 * w, 3, 2)
        self.bottleneck = conv(ws, 4 * w, 8 * w, 3, 2)
        self.dec1 = nn.ConvTranspose2d(8 * w, 4 * w, 4, stride=2, padding=1, bias=False)
        self.dec2 = nn.ConvTranspose2d(8 * w, 2 * w, 4, stride=2, padding=1, bias=False)
        self.dec3 = nn.ConvTranspose2d(4 * w, w, 4, stride=2, padding=1, bias=False)
        self.output = conv(ws, 2 * w, classes, 1)
        chans = (w, 2 * w, 4 * w, 8 * w, 4 * w, 2 * w, w)
        self.norms = nn.ModuleList(nn.GroupNorm(8, c, eps=1e-6) for c in chans) if ws else None

    def block(self, i, layer, x):
        x = layer(x)
        if self.norms is not None:
            x = self.norms[i](x)
        return F.relu(x)

    def forward(self, x):
        e1 = self.block(0, self.enc1, x)
        e2 = self.block(1, self.enc2, e1)
        e3 = self.block(2, self.enc3, e2)
        b = self.block(3, self.bottleneck, e3)
        d1 = torch.cat([self.block(4, self.dec1, b), e3], 1)
        d2 = torch.cat([self.block(5, self.dec2, d1), e2], 1)
        d3 = torch.cat([self.block(6, self.dec3, d2), e1], 1)
        return self.output(d3)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--workload', choices=sorted(WORKLOADS), required=True)
    p.add_argument('--format', choices=('nchw', 'channels_last'), default='channels_last')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--steps', type=int, default=7)
    p.add_argument('--inference', type=int, default=7)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    ws, batch, (h, w, c), classes, width = WORKLOADS[a.workload]
    model = SimpleUNet(ws, c, classes, width) if width else SimpleCNN(ws, h, c, classes)
    fmt = torch.channels_last if a.format == 'channels_last' else torch.contiguous_format
    model = model.to(memory_format=fmt)
    x = torch.rand(batch, c, h, w).to(memory_format=fmt)
    labels = torch.randint(0, classes, (batch, h, w) if width else (batch,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        opt.step()

    for _ in range(a.warmup):
        step()
    train = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step()
        train.append((time.perf_counter() - t) * 1e3)
    infer = []
    with torch.no_grad():
        for _ in range(2):
            model(x)
        for _ in range(a.inference):
            t = time.perf_counter()
            model(x)
            infer.append((time.perf_counter() - t) * 1e3)
    print('RESULT ' + json.dumps({
        'stack': f'pytorch-{a.format}', 'workload': a.workload,
        'train_ms': round(statistics.median(train), 3), 'train_ms_all': [round(v, 3) for v in train],
        'infer_ms': round(statistics.median(infer), 3),
        'peak_rss_mib': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 3),
        'params': sum(q.numel() for q in model.parameters()),
        'torch': torch.__version__}))


if __name__ == '__main__':
    main()
