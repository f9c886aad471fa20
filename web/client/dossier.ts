// The dossier file's only script: its charts. Everything else in the file is plain HTML.
import { drawCharts } from './charts.ts';

drawCharts();
(window as unknown as { marqueReady: boolean }).marqueReady = true;
