import { readdirSync } from 'node:fs';
import { decodeImage } from '../src/engine/data/imageio';
import { MEASURES } from '../src/engine/complexity/registry';
(async () => {
  for (const ds of ['isbi2012-em', 'dic-c2dh-hela', 'drive-retina']) {
    const dir = `/work/shared/datasets/${ds}/images`;
    const imgs = await Promise.all(readdirSync(dir).slice(0, 6).map((f) => decodeImage(`${dir}/${f}`)));
    for (const m of MEASURES) await m.compute(imgs[0]!);
    const out: string[] = [];
    for (const m of MEASURES) {
      const t = performance.now(); let s = 0;
      for (const img of imgs) s += await m.compute(img);
      out.push(`${m.id}=${(s / imgs.length).toFixed(4)} (${((performance.now() - t) / imgs.length).toFixed(1)}ms)`);
    }
    console.log(ds, imgs[0]!.channels, out.join(' '));
  }
})();
